"""Mutated-rule test: rules drawn from the random-rule pools (rule_pools.py), each changed once in
a way a hand-written file may be (a word dropped, doubled, swapped with the next, another word put
in, a character added to one), given to iptables-nft-restore in a namespace and to ipt2nft with
--allow-untranslated. Both must accept the rule or both refuse it, and every translation must
load with `nft -f`. Where ipt2nft differs from iptables on purpose, its diagnostic code says so
and the case is counted apart (KNOWN below). Fixed seeds: a failure names a case to run again."""
import random
import shlex
import subprocess
import sys

import netns
from rule_pools import CHAINS, pools

tool = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
netns.require_root("kernel_mutated_rules")

# Words put into a rule: options, values and targets of the pools' modules, and stray ones.
WORDS = ["!", "-p", "tcp", "udp", "icmp", "-m", "--dport", "--sport", "1", "-j", "ACCEPT", "DROP", "0", "-s", "-d",
         "::1", "1.2.3.4", "--", "-x", "", "--state", "NEW", "--mark", "0x1/0x1", "--to-ports", "80", "--log-prefix",
         "--reject-with", "tcp-reset", "--comment", "--limit", "1/s", "-i", "eth0", "-o", "-f", "--syn", "--ctstate",
         "--set-mark", "--zone", "state", "conntrack", "mark", "comment", "limit", "multiport", "--dports", "1,2",
         "-g", "RETURN", "--limit-burst", "5", "--ctdir", "REPLY", "--to-destination", "10.0.0.1:80", "--log-level",
         "4"]
# ipt2nft's own readings, each a diagnostic code: the old `--opt ! value` negation iptables 1.8
# refuses and ipt2nft takes with a warning; a host name iptables looks up and ipt2nft refuses.
KNOWN = ["[deprecated-negation]", "[host-name]"]


def mutated(rng, words):
    if not words:
        return [rng.choice(WORDS)]
    words = list(words)
    k = rng.randrange(len(words))
    how = rng.random()
    if how < 0.2:
        del words[k]
    elif how < 0.35:
        words.insert(k, words[k])
    elif how < 0.5 and k + 1 < len(words):
        words[k], words[k + 1] = words[k + 1], words[k]
    elif how < 0.7:
        words.insert(k, rng.choice(WORDS))
    else:
        # Most often a value: what iptables reads of it, and how far, differs most from one to the next.
        values = [i for i, w in enumerate(words) if not w.startswith("-")] or [k]
        words[rng.choice(values)] += rng.choice(["x", "0", ",", ":", "/", "-", ".", " "])
    return words


failed = 0
counts = {"both took": 0, "both refused": 0, "known": 0}
with netns.namespace() as ns:
    for seed in range(cases):
        rng = random.Random(seed)
        v6 = rng.random() < 0.3
        matches, targets = pools(v6)
        table = rng.choice(list(CHAINS))
        chain = rng.choice(CHAINS[table])
        parts = [rng.choice(rng.choice(matches)) for _ in range(rng.randint(0, 2))]
        words = mutated(rng, shlex.split(" ".join(parts + [rng.choice(targets[table])])))
        rule = " ".join(shlex.quote(w) for w in words)
        text = f"*{table}\n:{chain} ACCEPT [0:0]\n-A {chain} {rule}\nCOMMIT\n"
        family = "6" if v6 else "4"
        netns.run(ns, ["nft", "flush", "ruleset"])
        theirs = netns.run(ns, ["ip6tables-nft-restore" if v6 else "iptables-nft-restore"], text)
        ours = subprocess.run([tool, "translate", "-" + family, "--allow-untranslated", "-"], input=text,
                              capture_output=True, text=True)
        case = f"-{family} seed {seed}: {table} -A {chain} {rule}"
        if ours.returncode not in (0, 1):
            failed += 1
            print(f"FAIL {case}: ipt2nft exit {ours.returncode}\n  {ours.stderr.strip()[-300:]}")
        elif (theirs.returncode == 0) != (ours.returncode == 0):
            if any(code in ours.stderr for code in KNOWN):
                counts["known"] += 1
                continue
            failed += 1
            print(f"FAIL {case}: iptables-nft-restore exit {theirs.returncode}, ipt2nft exit {ours.returncode}\n"
                  f"  {theirs.stderr.strip()[:200]}\n  {ours.stderr.strip()[-300:]}")
        elif ours.returncode != 0:
            counts["both refused"] += 1
        else:
            netns.run(ns, ["nft", "flush", "ruleset"])
            loaded = netns.run(ns, ["nft", "-f", "-"], ours.stdout)
            if loaded.returncode != 0:
                failed += 1
                print(f"FAIL {case}: nft refused the translation: {loaded.stderr.strip()[:200]}")
                continue
            counts["both took"] += 1
print(f"kernel_mutated_rules: {cases - failed} passed, {failed} failed of {cases} mutated rules (both took and "
      f"the translation loaded {counts['both took']}, both refused {counts['both refused']}, ipt2nft's own "
      f"reading {counts['known']})")
sys.exit(1 if failed else 0)
