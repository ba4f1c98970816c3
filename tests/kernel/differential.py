"""Differential test: the original loaded by iptables-nft-restore in one namespace, our
translation loaded by `nft -f` in another; the rules the kernel holds (netlink expressions, see
bytecode.py) compared chain by chain, rule by rule.

Rules iptables-nft could only load through its compat layer (xt matches and targets) are
counted apart: their meaning is in the xt module, not in expressions to compare. The test fails
when ipt2nft crashes or nft refuses a translation; other differences are printed and counted
(iptables expands `-s a,b` into two rules where ipt2nft writes one with a set, for instance)."""
import difflib
import pathlib
import re
import subprocess
import sys

import bytecode
import netns

tool = sys.argv[1]
dirs = [pathlib.Path(d) for d in sys.argv[2:]]
netns.require_root("kernel_differential")


own_rejected = []
totals = {"files": 0, "restore_refused": 0, "rules": 0, "same": 0, "compat": 0, "different": 0}
own_corpus_differences = 0
for d in dirs:
    if not d.is_dir():
        print(f"NOTE {d} is not present: that part is skipped")
        continue
    for f in sorted(list(d.rglob("*.v4")) + list(d.rglob("*.v6"))):
        v6 = f.suffix == ".v6"
        text = f.read_bytes()
        with netns.namespace() as a, netns.namespace() as b:
            restore = subprocess.run(["ip", "netns", "exec", a, "ip6tables-nft-restore" if v6 else "iptables-nft-restore"],
                                     input=text, capture_output=True)
            if restore.returncode != 0:
                totals["restore_refused"] += 1
                continue
            ours = subprocess.run([tool, "translate", "-6" if v6 else "-4", str(f)], capture_output=True, text=True)
            if ours.returncode == 3 or ours.returncode > 128:
                print(f"FAIL {f}: ipt2nft crashed ({ours.returncode})")
                sys.exit(1)
            totals["files"] += 1
            if ours.returncode != 0:
                own_rejected.append((f, ours.stderr.splitlines()[:3]))
                continue
            load = netns.run(b, ["nft", "-f", "-"], stdin=ours.stdout)
            if load.returncode != 0:
                print(f"FAIL {f}: nft -f refused our translation: {load.stderr.strip()[:400]}")
                own_corpus_differences += 1
                continue
            theirs = bytecode.rules(a)
            mine = bytecode.rules(b)
        for key, rules in theirs.items():
            got = mine.get(key, [])
            # Align the two rule lists: iptables expands `-s a,b` into several rules where
            # ipt2nft writes one, so position alone would misalign everything after it.
            matcher = difflib.SequenceMatcher(a=rules, b=got, autojunk=False)
            same = {i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)}
            for i, rule in enumerate(rules):
                totals["rules"] += 1
                if i in same:
                    totals["same"] += 1
                elif bytecode.compat_modules(rule):
                    totals["compat"] += 1
                else:
                    totals["different"] += 1
                    print(f"DIFF {f} {key[1]}/{key[2]} #{i + 1} (iptables-nft): {' '.join(rule)}")
for f, lines in own_rejected:
    print(f"REFUSED BY IPT2NFT {f}: {' | '.join(lines)}")
print("kernel_differential: files={files} (iptables-restore refused {restore_refused} more), rules={rules}: "
      "same in the kernel={same}, through iptables-nft's compat layer={compat}, different={different}".format(**totals))
print(f"kernel_differential: ipt2nft refused {len(own_rejected)} files iptables-restore accepted")
sys.exit(1 if own_corpus_differences else 0)
