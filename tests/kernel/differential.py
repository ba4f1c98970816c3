"""Differential test: the original loaded by iptables-nft-restore in one namespace, our
translation loaded by `nft -f` in another; the rules the kernel holds (netlink expressions, see
bytecode.py) compared chain by chain, rule by rule.

Rules iptables-nft could only load through its compat layer (xt matches and targets) are
counted apart: their meaning is in the xt module, not in expressions to compare. The test fails
when ipt2nft crashes or nft refuses a translation, or refuses a file iptables-restore loads for
anything but rules nft cannot express (`untranslatable`, each with its reason); other
differences are printed and counted (iptables expands `-s a,b` into two rules where ipt2nft
writes one with a set, for instance). Of the files iptables-restore loads, the rules that
translate natively are counted, and the untranslated ones by module."""
import collections
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
loaded_rules = 0
untranslated = collections.Counter()
# What nft cannot express, by error code, and the module it is about: a rule of its own
# (untranslatable, the module named in its message), or recent lists one nft set cannot hold
# (one list in several tables, or looked up with several --seconds).
CANNOT_EXPRESS = {"[untranslatable]": None, "[recent-list-shared]": "recent", "[recent-timeouts]": "recent"}


def count_untranslated(f, v6):
    """The rules of a file that does not translate as a whole, by module: each untranslatable
    one is written as a comment with --allow-untranslated, and its diagnostic names the module."""
    commented = subprocess.run([tool, "translate", "-6" if v6 else "-4", "--allow-untranslated", str(f)],
                               capture_output=True, text=True)
    for m in re.finditer(r"cannot translate (\S+)", commented.stderr):
        untranslated[m.group(1)] += 1
    return commented
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
            loaded_rules += sum(1 for line in text.decode(errors="replace").splitlines()
                                if re.match(r"(\[\d+:\d+\] )?-A ", line))
            if ours.returncode != 0:
                own_rejected.append((f, ours.stderr.splitlines()[:3]))
                errors = [line for line in ours.stderr.splitlines() if ": error: " in line]
                other = [line for line in errors if not line.endswith(tuple(CANNOT_EXPRESS))]
                for line in errors:
                    module = CANNOT_EXPRESS.get(line[line.rfind("["):])
                    if module:
                        untranslated[module] += 1
                if other and f.parent.name != "errors":
                    print(f"FAIL {f}: iptables-restore loads it, ipt2nft refuses it for more than rules nft "
                          f"cannot express: {other[0]}")
                    own_corpus_differences += 1
                commented = count_untranslated(f, v6)
                if not other and commented.returncode != 0 and all(e.endswith("[untranslatable]") for e in errors):
                    print(f"FAIL {f}: with --allow-untranslated it still fails: {commented.stderr.strip()[:300]}")
                    own_corpus_differences += 1
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
missing = sum(untranslated.values())
if loaded_rules:
    print(f"kernel_differential: of the {loaded_rules} rules of the files iptables-restore loads, "
          f"{loaded_rules - missing} ({100 * (loaded_rules - missing) / loaded_rules:.2f}%) translate natively; "
          f"untranslated by module: " + ", ".join(f"{m} {n}" for m, n in untranslated.most_common()))
sys.exit(1 if own_corpus_differences else 0)
