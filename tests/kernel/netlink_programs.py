"""Kernel programs: for every rule of the project's corpora, of the real rulesets in
../shared/corpus/real, of netfilter's txlate vectors (../shared/conformance/txlate, each command
as a one-rule save file), of random rule pools and of IPv4 and IPv6 rulesets merged by --inet,
`ipt2nft translate --format=netlink` must print the expressions (registers and anonymous sets
included) that `nft --debug=netlink -c -f` generates for translate's own nft script of the same
input, rule by rule. Inputs that do not
translate are passed over: they have no programs."""
import glob
import os
import random
import re
import subprocess
import sys

import netns
from rule_pools import inet_pairs, pair_files, random_rule

tool, source = sys.argv[1], sys.argv[2]
cases = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
netns.require_root("kernel_netlink_programs")

HEADER = re.compile(r"^(ip|ip6|inet) \S+ \S+$")
NAMED_SET = re.compile(r"^\S+ \S+ \d+( |$)")


def rules(text):
    """Each rule as text: its anonymous sets' declarations and elements, its header, its expressions.
    A named set's declaration and elements (an ipset's, before the chains) are no rule's."""
    out, pending, current = [], [], None
    named = False  # the elements that follow are a named set's
    for line in text.splitlines():
        if line.startswith("__set%d"):
            named = False
            if " size " in line:
                pending.append(line)
        elif line.startswith("\telement"):
            if not named:
                pending.append(line)
        elif NAMED_SET.match(line) and not HEADER.match(line):
            named = True
        elif HEADER.match(line) and "(null)" not in line:
            current = [line] + pending
            pending = []
            out.append(current)
        elif line.startswith("  [") and current is not None:
            current.append(line.strip())
        else:
            current = None
    return ["\n".join(r) for r in out]


def compare(ns, name, args, stdin=None):
    """(same, differing) rule counts of one input; differences printed."""
    script = subprocess.run([tool, "translate", *args], input=stdin, capture_output=True, text=True, errors="replace")
    if script.returncode:
        return 0, 0
    ours = subprocess.run([tool, "translate", "--format=netlink", *args], input=stdin, capture_output=True, text=True,
                          errors="replace")
    theirs = netns.run(ns, ["nft", "--debug=netlink", "-c", "-f", "-"], script.stdout)
    # This kernel may lack a module (nfnetlink_queue): nft then says "No such file or directory".
    if theirs.returncode and "No such file or directory" in theirs.stderr and not ours.returncode:
        print(f"note: {name}: not compared, the kernel lacks a module nft asked for")
        return 0, 0
    if ours.returncode or theirs.returncode:
        print(f"FAIL {name}: --format=netlink exit {ours.returncode}, nft -c exit {theirs.returncode}: "
              f"{(ours.stderr + theirs.stderr).strip()[:300]}")
        return 0, 1
    a, b = rules(ours.stdout), rules(theirs.stdout)
    if len(a) != len(b):
        print(f"FAIL {name}: {len(a)} kernel rules printed, nft generates {len(b)}")
        return 0, max(len(a), len(b))
    differing = 0
    for x, y in zip(a, b):
        if x != y:
            differing += 1
            print(f"FAIL {name}:\n--- ipt2nft\n{x}\n--- nft\n{y}")
    return len(a) - differing, differing


def txlate_rules(folder):
    """(name, family, save file) of each -A/-I command of the txlate vectors; lower-case chains
    are user chains there."""
    for path in sorted(glob.glob(os.path.join(folder, "*.txlate"))):
        with open(path) as f:
            for line in f:
                m = re.match(r"(ip6?)tables-translate (?:-t (\w+) )?-[AI] (\S+) (.*)", line.strip())
                if not m:
                    continue
                family = "6" if m.group(1) == "ip6" else "4"
                table, chain, rule = m.group(2) or "filter", m.group(3), m.group(4)
                declared = f":{chain} - [0:0]\n" if chain.islower() else ""
                yield f"{os.path.basename(path)}: {line.strip()}", family, f"*{table}\n{declared}-A {chain} {rule}\nCOMMIT\n"


totals = {"corpus": [0, 0], "real": [0, 0], "txlate": [0, 0], "random": [0, 0], "inet": [0, 0]}
with netns.namespace() as ns:
    for path in sorted(glob.glob(os.path.join(source, "corpus", "*", "*"))):
        if not path.endswith((".nft", ".err")):
            for k, n in enumerate(compare(ns, path, [path])):
                totals["corpus"][k] += n
    real = os.path.join(source, "..", "shared", "corpus", "real")
    if os.path.isdir(real):
        for path in sorted(glob.glob(os.path.join(real, "*"))):
            if not path.endswith((".md", ".tsv")):
                for k, n in enumerate(compare(ns, path, [path])):
                    totals["real"][k] += n
    else:
        print(f"note: {real} is absent: the real rulesets are not compared")
    txlate = os.path.join(source, "..", "shared", "conformance", "txlate")
    if os.path.isdir(txlate):
        for name, family, text in txlate_rules(txlate):
            for k, n in enumerate(compare(ns, name, ["-" + family, "-"], text)):
                totals["txlate"][k] += n
    else:
        print(f"note: {txlate} is absent: the txlate vectors are not compared")
    for family in ("4", "6"):
        for seed in range(cases):
            table, chain, rule = random_rule(random.Random(seed), family == "6")
            text = f"*{table}\n:{chain} ACCEPT [0:0]\n-A {chain} {rule}\nCOMMIT\n"
            for k, n in enumerate(compare(ns, f"-{family} seed {seed}: {table} -A {chain} {rule}", ["-" + family, "-"], text)):
                totals["random"][k] += n
    for name, v4, v6 in inet_pairs(tool, source, cases // 25):
        with pair_files(v4, v6) as (f4, f6):
            for k, n in enumerate(compare(ns, f"--inet {name}", ["--inet", f4, f6])):
                totals["inet"][k] += n
same = sum(t[0] for t in totals.values())
differing = sum(t[1] for t in totals.values())
detail = "; ".join(f"{k} {v[0]} of {v[0] + v[1]}" for k, v in totals.items())
print(f"kernel_netlink_programs: {same} passed, {differing} failed of {same + differing} kernel rules ({detail})")
sys.exit(1 if differing else 0)
