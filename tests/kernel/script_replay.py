"""Replay test: random scripts of iptables and ip6tables commands (-A, -I n, -D n, -D by
specification written another way, -R n, -N, -E (then -D of a jump to the renamed chain), -F,
-P, -Z, `-C ... || -A ...`, `-C ... || true` and `-N ... || -F ...`, a jump before its chain
exists `|| true`, `-X ... || true` of a chain that may be held, `-D ... || true` of a rule that
may be missing, and commands that fail with nothing after them, which a shell without `set -e`
goes past; address lists too; a fifth of the lines behind an `LC_ALL=C` prefix), run by
iptables-nft in one namespace and translated by ipt2nft and loaded with `nft -f` in another;
iptables-nft-save must list the same ruleset in both; so must the same commands inside a function called
in a loop, translated with --run. The scripts come from fixed seeds, so a failure names a
script that can be run again."""
import random
import re
import subprocess
import sys

import netns

tool = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 100
netns.require_root("kernel_script_replay")

SPECS = {"4": ["-p tcp --dport 22", "-p udp --sport 53", "-s 10.0.0.1", "-d 192.168.0.0/16", "! -s 10.1.0.0/16",
               "-p icmp", "-m comment --comment note", "-m limit --limit 1/s", ""],
         "6": ["-p tcp --dport 22", "-p udp --sport 53", "-s 2001:db8::1", "-d 2001:db8::/32", "! -s fe80::/10",
               "-p ipv6-icmp", "-m comment --comment note", "-m limit --limit 1/s", ""]}
# Address lists: one kernel rule per source and destination address, which rule numbers count.
# Their addresses are apart, so ipt2nft's sets expanded back give iptables' rules one for one.
LISTS = {"4": ["-s 10.0.0.1,10.0.0.2", "-d 192.168.1.0/24,10.9.9.9,192.168.2.0/24",
               "-s 10.0.0.3,10.0.0.4 -d 10.0.1.1,10.0.1.2 -p tcp --dport 80"],
         "6": ["-s 2001:db8::1,2001:db8::2", "-d 2001:db8:1::/48,2001:db8:9::9,2001:db8:2::/48",
               "-s 2001:db8::3,2001:db8::4 -d 2001:db8:1::1,2001:db8:1::2 -p tcp --dport 80"]}


def expand_sets(script):
    """ipt2nft's rules with address sets, written out as one rule per source and destination
    element (sources outermost), as iptables-nft-save can list them."""
    out = []
    for line in script.splitlines():
        pieces = [line]
        for field in ("saddr", "daddr"):
            expanded = []
            for piece in pieces:
                m = re.search(r"(ip6? " + field + r") \{ ([^}]*) \}", piece)
                if not m:
                    expanded.append(piece)
                    continue
                for element in m.group(2).split(", "):
                    expanded.append(piece[:m.start()] + f"{m.group(1)} {element}" + piece[m.end():])
            pieces = expanded
        out += pieces
    return "\n".join(out) + "\n"
VERDICTS = ["-j ACCEPT", "-j DROP", "-j RETURN"]
BUILTIN = ["INPUT", "FORWARD", "OUTPUT"]


def elements(spec):
    """The kernel rules of a specification, each as the specification of that one rule: one per
    source and destination address, sources outermost, as iptables adds them."""
    words = spec.split()
    lists = [(i, words[i + 1].split(",")) for i in range(len(words) - 1) if words[i] in ("-s", "-d")]
    out = [words]
    for i, addresses in lists:
        out = [w[:i + 1] + [a] + w[i + 2:] for w in out for a in addresses]
    return [" ".join(w) for w in out]


# -D by specification is written another way iptables reads alike: explicit protocol match, a
# service name, a /32 prefix, a rate in another unit, the target first. (iptables-nft-save lists
# no table holding nft's own `ct state` or `ip ttl`: those are compared by the unit tests.)
SAME_SPEC = {"-p tcp --dport 22": "-p tcp -m tcp --dport ssh", "-p udp --sport 53": "-p udp -m udp --sport domain",
             "-s 10.0.0.1": "-s 10.0.0.1/32", "-s 2001:db8::1": "-s 2001:db8::1/128",
             "-m limit --limit 1/s": "-m limit --limit 60/minute --limit-burst 5"}


FAILS = "@fails@"  # marks a command that fails: `&& exit 99` after it where iptables runs it


def script(rng, family):
    """A script iptables runs without an error but where marked: each other command is valid where
    it stands."""
    rules = {c: [] for c in BUILTIN}  # per chain, its kernel rules as (specification, target)
    user = []
    lines = []
    for _ in range(rng.randint(3, 24)):
        op = rng.choice("AAAAIIDDSSSRNEEFPZCKJXGLLLUU")
        chain = rng.choice(list(rules))
        if op == "N":
            name = f"U{rng.randint(0, 3)}"
            if name not in rules:
                user.append(name)
                rules[name] = []
                lines.append(f"iptables -N {name}")
        elif op == "E" and user:
            old, new = rng.choice(user), f"R{rng.randint(0, 9)}"
            if new not in rules:
                user[user.index(old)] = new
                rules[new] = rules.pop(old)
                for kept in rules.values():
                    kept[:] = [(spec, f"-j {new}" if target == f"-j {old}" else target) for spec, target in kept]
                lines.append(f"iptables -E {old} {new}")
                # A jump to the chain taken away under its new name, by specification.
                jumps = [(c, spec) for c, kept in rules.items() for spec, target in kept if target == f"-j {new}"]
                if jumps:
                    c, spec = rng.choice(jumps)
                    rules[c].remove((spec, f"-j {new}"))
                    lines.append(f"iptables -D {c} {spec} -j {new}")
        elif op == "P":
            lines.append(f"iptables -P {rng.choice(BUILTIN)} {rng.choice(['ACCEPT', 'DROP'])}")
        elif op == "F":
            lines.append(f"iptables -F {chain}")
            rules[chain] = []
        elif op == "Z":
            lines.append("iptables -Z")
        elif op in "AIR":
            # Built-in chains jump to user chains, user chains only end in verdicts: no loops.
            target = rng.choice(VERDICTS + ([f"-j {u}" for u in user] if chain in BUILTIN else []))
            # -R replaces one rule: iptables refuses an address list there.
            spec = rng.choice(SPECS[family] + (LISTS[family] if op != "R" else []))
            added = [(e, target) for e in elements(spec)]
            if op == "A":
                lines.append(f"iptables -A {chain} {spec} {target}")
                rules[chain] += added
            elif op == "I":
                at = rng.randint(1, len(rules[chain]) + 1)
                lines.append(f"iptables -I {chain} {at} {spec} {target}")
                rules[chain][at - 1:at - 1] = added[::-1]  # each at the same place: the last ends first
            elif rules[chain]:
                at = rng.randint(1, len(rules[chain]))
                lines.append(f"iptables -R {chain} {at} {spec} {target}")
                rules[chain][at - 1] = added[0]
        elif op == "D" and rules[chain]:
            at = rng.randint(1, len(rules[chain]))
            lines.append(f"iptables -D {chain} {at}")
            del rules[chain][at - 1]
        elif op == "C":
            # Check-then-add, the idempotent form: the rule is added when -C finds none equal.
            target = rng.choice(VERDICTS + ([f"-j {u}" for u in user] if chain in BUILTIN else []))
            spec = rng.choice(SPECS[family])
            lines.append(f"iptables -C {chain} {spec} {target} 2>/dev/null || iptables -A {chain} {spec} {target}")
            if (spec, target) not in rules[chain]:
                rules[chain].append((spec, target))
        elif op == "K":
            # Create-or-flush: -N fails on a chain that is there, and -F then runs.
            name = f"U{rng.randint(0, 3)}"
            lines.append(f"iptables -N {name} 2>/dev/null || iptables -F {name}")
            if name not in rules:
                user.append(name)
            rules[name] = []
        elif op == "J" and chain in BUILTIN:
            # A jump to a chain not created yet fails, even when a later line creates it.
            name = f"U{rng.randint(0, 3)}"
            if name not in rules:
                lines.append(f"iptables -A {chain} -j {name} 2>/dev/null || true")
        elif op == "X" and user:
            # -X deletes a user chain only when it is empty and no other chain jumps to it.
            name = rng.choice(user)
            lines.append(f"iptables -X {name} 2>/dev/null || true")
            held = any(target == f"-j {name}" for other, kept in rules.items() if other != name for _, target in kept)
            if not rules[name] and not held:
                user.remove(name)
                del rules[name]
        elif op == "U":
            # A command that fails, alone on its line: a shell without `set -e` goes on.
            target = rng.choice(VERDICTS)
            missing = [s for s in SPECS[family] if (s, target) not in rules[chain]]
            lines.append(FAILS + rng.choice(
                ["iptables -X NOPE", f"iptables -A {chain} -j NOPE"] + [f"iptables -N {u}" for u in user] +
                [f"iptables -D {chain} {s} {target}" for s in missing[:1]]))
        elif op == "G":
            # A guarded -D, as scripts write it before adding a rule again: the rule may be missing.
            target = rng.choice(VERDICTS + ([f"-j {u}" for u in user] if chain in BUILTIN else []))
            spec = rng.choice(SPECS[family])
            lines.append(f"iptables -D {chain} {spec} {target} 2>/dev/null || true")
            if (spec, target) in rules[chain]:
                rules[chain].remove((spec, target))
        elif op == "L":
            # Two checks whose answers change nothing: ipt2nft indexes a chain looked into twice, and
            # the index must follow every edit after.
            for _ in range(2):
                target = rng.choice(VERDICTS + ([f"-j {u}" for u in user] if chain in BUILTIN else []))
                lines.append(f"iptables -C {chain} {rng.choice(SPECS[family])} {target} 2>/dev/null || true")
        elif op == "S" and rules[chain]:
            # -D by specification: the first equal rule goes.
            spec, target = rng.choice(rules[chain])
            del rules[chain][rules[chain].index((spec, target))]
            written = [SAME_SPEC.get(spec, spec), target]
            lines.append(f"iptables -D {chain} {' '.join(written[::rng.choice([1, -1])])}")
    return "\n".join(lines) + "\n"


def saved(ns, family):
    """iptables-nft-save's lines without comments and counters."""
    out = netns.run(ns, ["ip6tables-nft-save" if family == "6" else "iptables-nft-save"]).stdout
    return [line.split(" [")[0] for line in out.splitlines() if line and not line.startswith("#")]


failed = 0
for family, seed in [(f, s) for f in ("4", "6") for s in range(cases)]:
    program = "ip6tables" if family == "6" else "iptables"
    text = script(random.Random(seed), family).replace("iptables ", program + " ")
    # An assignment before a command sets its environment only (scripts set LC_ALL so).
    prefixes = random.Random(-1 - seed)
    text = "".join(("LC_ALL=C " if prefixes.random() < 0.2 else "") + line + "\n" for line in text.splitlines())
    # Where iptables runs it, a marked command that does not fail ends the script as a failure;
    # ipt2nft gets it alone on its line, with no `set -e`.
    # (A failing last line would be the script's status: `true` ends it.)
    run_text = re.sub(f"{FAILS}(.*)", r"\1 2>/dev/null && exit 99",
                      text.replace("LC_ALL=C " + FAILS, FAILS + "LC_ALL=C ")) + "true\n"
    text = text.replace(FAILS, "")
    with netns.namespace() as theirs, netns.namespace() as ours:
        ran = netns.run(theirs, ["sh", "-e", "-c", run_text.replace(program + " ", program + "-nft ")])
        if ran.returncode != 0:
            print(f"FAIL -{family} seed {seed}: iptables-nft refused the script (the generator is wrong): {ran.stderr}")
            failed += 1
            continue
        translated = subprocess.run([tool, "translate", "-" + family, "-"], input=text, capture_output=True, text=True)
        if translated.returncode != 0:
            print(f"FAIL -{family} seed {seed}: ipt2nft refused a script iptables runs:\n{text}{translated.stderr}")
            failed += 1
            continue
        loaded = netns.run(ours, ["nft", "-f", "-"], expand_sets(translated.stdout))
        if loaded.returncode != 0:
            print(f"FAIL -{family} seed {seed}: nft refused the translation: {loaded.stderr}")
            failed += 1
            continue
        if saved(theirs, family) != saved(ours, family):
            print(f"FAIL -{family} seed {seed}: another ruleset\n{text}iptables: {saved(theirs, family)}\n"
                  f"ipt2nft:  {saved(ours, family)}")
            failed += 1
            continue
        # The same commands in a function called from a loop, which only --run reads: each call
        # answered as iptables answers it, the `||` after it goes the same way.
        wrapped = "rules() {\n" + "".join("    " + line + "\n" for line in text.splitlines()) + \
            "}\nfor pass in once; do\n    if [ -n \"$pass\" ]; then rules; fi\ndone\n"
        run = subprocess.run([tool, "translate", "--run", "-" + family, "-"], input=wrapped, capture_output=True,
                             text=True)
        netns.run(ours, ["nft", "flush", "ruleset"])
        loaded = netns.run(ours, ["nft", "-f", "-"], expand_sets(run.stdout))
        if run.returncode != 0 or loaded.returncode != 0 or saved(theirs, family) != saved(ours, family):
            print(f"FAIL -{family} seed {seed}: --run of the script in a function gives another ruleset\n{wrapped}"
                  f"{run.stderr}{loaded.stderr}iptables: {saved(theirs, family)}\nipt2nft:  {saved(ours, family)}")
            failed += 1
print(f"kernel_script_replay: {2 * cases - failed} passed, {failed} failed of {2 * cases} random scripts "
      "(iptables and ip6tables), each replayed and, in a function, run with --run")
sys.exit(1 if failed else 0)
