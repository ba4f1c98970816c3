"""Random-rule test: one-rule save files drawn from pools of options and values (fixed seeds, see
rule_pools.py), given to iptables-nft-restore in a namespace and to ipt2nft. Both must accept or
both refuse, every translation must load with `nft -f`, and where iptables-nft wrote the rule in
the kernel's own expressions (not its compat layer), the translation must hold the same ones."""
import random
import re
import subprocess
import sys

import tempfile

import bytecode
import netns
from rule_pools import ipsets, random_rule

tool = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 200
netns.require_root("kernel_random_rules")


failed = 0
counts = {"both took": 0, "both refused": 0, "same expressions": 0}
with netns.namespace() as ns:
    for family in ("4", "6"):
        restore = "ip6tables-nft-restore" if family == "6" else "iptables-nft-restore"
        family_name = "ip6" if family == "6" else "ip"
        sets = tempfile.NamedTemporaryFile("w", suffix=".ipset")
        sets.write(ipsets(family == "6"))
        sets.flush()
        netns.run(ns, ["ipset", "restore", "-exist"], ipsets(family == "6"))
        for seed in range(cases):
            table, chain, rule = random_rule(random.Random(seed), family == "6")
            text = f"*{table}\n:{chain} ACCEPT [0:0]\n-A {chain} {rule}\nCOMMIT\n"
            netns.run(ns, ["nft", "flush", "ruleset"])
            theirs = netns.run(ns, [restore], text)
            their_code = bytecode.rules(ns) if theirs.returncode == 0 else {}
            ours = subprocess.run([tool, "translate", "-" + family, sets.name, "-"], input=text, capture_output=True,
                                  text=True)
            if (theirs.returncode == 0) != (ours.returncode == 0):
                failed += 1
                print(f"FAIL -{family} seed {seed}: iptables-nft-restore exit {theirs.returncode}, ipt2nft exit "
                      f"{ours.returncode}: {table} -A {chain} {rule}\n  {theirs.stderr.strip()[:200]}"
                      f"\n  {ours.stderr.strip()[-300:]}")
                continue
            if ours.returncode != 0:
                counts["both refused"] += 1
                continue
            netns.run(ns, ["nft", "flush", "ruleset"])
            loaded = netns.run(ns, ["nft", "-f", "-"], ours.stdout)
            if loaded.returncode != 0:
                failed += 1
                print(f"FAIL -{family} seed {seed}: nft refused the translation of {table} -A {chain} {rule}: "
                      f"{loaded.stderr.strip()[:200]}")
                continue
            counts["both took"] += 1
            # Where iptables-nft wrote the rule in the kernel's own expressions, ours must hold the
            # same ones. iptables-nft drops a negated full port range, which xt matches nothing with.
            their_rule = their_code.get((family_name, table, chain), [()])[0]
            if bytecode.compat_modules(their_rule) or re.search(r"! --[sd]port 0:65535", rule):
                continue
            counts["same expressions"] += 1
            my_rule = bytecode.rules(ns).get((family_name, table, chain), [()])[0]
            if my_rule != their_rule:
                failed += 1
                print(f"FAIL -{family} seed {seed}: other expressions in the kernel for {table} -A {chain} {rule}\n"
                      f"  iptables-nft: {' '.join(their_rule)}\n  ipt2nft:      {' '.join(my_rule)}")
print(f"kernel_random_rules: {2 * cases - failed} passed, {failed} failed of {2 * cases} random rules "
      f"(both took and the translation loaded {counts['both took']}, of which written in the kernel's own "
      f"expressions by iptables-nft and compared {counts['same expressions']}; both refused {counts['both refused']})")
sys.exit(1 if failed else 0)
