"""The same ruleset by every way in: for every corpus file, real ruleset (../shared/corpus/real) and
random rule that translates, for inputs added with --noflush to a first ruleset and for IPv4 and
IPv6 rulesets merged by --inet (real pairs and random ones), the input
loaded in one namespace the way MODE says and `nft -f` of the translated script in another give
the same `nft list ruleset`. MODE `apply`: `ipt2nft apply`; MODE `json`: `nft -j -f` of
`translate --format=json`.

The differences allowed are those apply exists for: a comment keeps its '"', which nft's syntax
cannot hold (translate writes "'"), and a chain keeps a name nft's syntax cannot hold (`reject`),
which translate renames and says so: apply's listing is compared under translate's names. JSON
is a form of the script: no difference at all."""
import glob
import os
import random
import re
import subprocess
import sys

import netns
from rule_pools import inet_pairs, pair_files, random_file

tool, mode, source = sys.argv[1], sys.argv[2], sys.argv[3]
cases = int(sys.argv[4]) if len(sys.argv) > 4 else 150
test_name = f"kernel_{mode}_listing"
netns.require_root(test_name)

COMMENT = re.compile(r'(comment ")(.*)("$)')
RENAMED = re.compile(r"cannot name them: (.*) \[chain-renamed\]")


def renames(stderr):
    """The chains translate renamed, as its chain-renamed warnings list them: [(old, new)]."""
    return [tuple(pair.split(" -> ")) for found in RENAMED.findall(stderr) for pair in found.split(", ")]


def listing(ns, renamed=()):
    text = netns.run(ns, ["nft", "list", "ruleset"]).stdout
    for old, new in renamed:
        text = re.sub(r"((?:chain|jump|goto) )" + re.escape(old) + r"(?=[ \n])", lambda m: m.group(1) + new, text)
    return "\n".join(COMMENT.sub(lambda m: m.group(1) + m.group(2).replace('"', "'") + m.group(3), line)
                     for line in text.splitlines())


def load_both(ours, theirs, args, stdin):
    """The input applied in `ours` and its translation loaded by nft -f in `theirs`: None when it
    does not translate, else (nft -f's process, apply's process, translate's renames)."""
    script = subprocess.run([tool, "translate", *args], input=stdin, capture_output=True, text=True, errors="replace")
    if script.returncode:
        return None
    loaded = netns.run(theirs, ["nft", "-f", "-"], script.stdout)
    if mode == "json":
        translated = subprocess.run([tool, "translate", "--format=json", *args], input=stdin, capture_output=True,
                                    text=True, errors="replace")
        if translated.returncode:
            return loaded, translated, ()
        return loaded, netns.run(ours, ["nft", "-j", "-f", "-"], translated.stdout), ()
    applied = subprocess.run([tool, "apply", "--netns", ours, *args], input=stdin, capture_output=True, text=True,
                             errors="replace")
    return loaded, applied, renames(script.stderr)


def compare(ours, theirs, name, args, stdin=None, first=None):
    """1 when both listings are the same, 0 when the input does not translate, -1 on a difference.
    `first`: a ruleset loaded alike before, which the input adds to (--noflush)."""
    for ns in (ours, theirs):
        netns.run(ns, ["nft", "flush", "ruleset"])
    if first is not None:
        before = load_both(ours, theirs, ["-4", "-"], first)
        if before is None or before[0].returncode or before[1].returncode or before[2]:
            print(f"FAIL {name}: the first ruleset does not load")
            return -1
    both = load_both(ours, theirs, args, stdin)
    if both is None:
        return 0
    loaded, applied, renamed = both
    if loaded.returncode:
        print(f"note: {name}: nft -f refuses the translation here ({loaded.stderr.strip()[:120]}): not compared")
        return 0
    if applied.returncode:
        print(f"FAIL {name}: {mode} exit {applied.returncode}: {applied.stderr.strip()[:400]}")
        return -1
    a, b = listing(ours, renamed), listing(theirs)
    if a != b:
        lines_a, lines_b = a.splitlines(), b.splitlines()
        at = next((i for i, (x, y) in enumerate(zip(lines_a, lines_b)) if x != y), min(len(lines_a), len(lines_b)))
        print(f"FAIL {name}: listings differ from line {at + 1}:\n  {mode}: "
              f"{lines_a[at] if at < len(lines_a) else '(end)'}\n  nft -f: "
              f"{lines_b[at] if at < len(lines_b) else '(end)'}")
        return -1
    return 1


FIRST = "*filter\n:X - [0:0]\n:Y - [0:0]\n-A X -j ACCEPT\n-A Y -j ACCEPT\n-A INPUT -j X\n-A INPUT -j Y\nCOMMIT\n"
NOFLUSH = [
    "*filter\n:X - [0:0]\n:INPUT DROP [0:0]\n-A X -j DROP\nCOMMIT\n",
    "*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A Y -j DROP\nCOMMIT\n",
    "*filter\n:Z - [0:0]\n-A Z -j RETURN\n-A INPUT -j Z\nCOMMIT\n",
    "*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n*filter\n-A FORWARD -j X\nCOMMIT\n",
    "iptables -I INPUT -m conntrack ! --ctstate NEW -j ACCEPT\niptables -I INPUT 1 -s 5.5.5.5 -j DROP\n"
    "iptables -A X -j LOG\n",
    "iptables -F INPUT\niptables -F Y\niptables -X Y\niptables -I INPUT -s 1.2.3.4 -j DROP\n",
    "iptables -F\niptables -P FORWARD DROP\niptables -A Y -j REJECT\n",
]

totals = {"corpus": [0, 0], "real": [0, 0], "noflush": [0, 0], "random": [0, 0], "inet": [0, 0]}


def count(kind, outcome):
    if outcome:
        totals[kind][0 if outcome > 0 else 1] += 1


with netns.namespace() as ours, netns.namespace() as theirs:
    for path in sorted(glob.glob(os.path.join(source, "corpus", "*", "*"))):
        if not path.endswith((".nft", ".err")):
            count("corpus", compare(ours, theirs, path, [path]))
    real = os.path.join(source, "..", "shared", "corpus", "real")
    if os.path.isdir(real):
        for path in sorted(glob.glob(os.path.join(real, "*"))):
            if not path.endswith((".md", ".tsv")):
                count("real", compare(ours, theirs, path, [path]))
    else:
        print(f"note: {real} is absent: the real rulesets are not compared")
    for second in NOFLUSH:
        count("noflush", compare(ours, theirs, f"--noflush of {second!r}", ["-4", "--noflush", "-"], second, FIRST))
    for family in ("4", "6"):
        for seed in range(cases):
            text = random_file(tool, random.Random(seed), family)
            count("random", compare(ours, theirs, f"-{family} seed {seed}:\n{text}", ["-" + family, "-"], text))
    # --inet: an IPv4 and an IPv6 ruleset whose tables of one name become one inet table.
    for name, v4, v6 in inet_pairs(tool, source, cases // 5):
        with pair_files(v4, v6) as (f4, f6):
            count("inet", compare(ours, theirs, f"--inet {name}", ["--inet", f4, f6]))
same = sum(t[0] for t in totals.values())
differing = sum(t[1] for t in totals.values())
detail = "; ".join(f"{k} {v[0]} of {v[0] + v[1]}" for k, v in totals.items())
print(f"{test_name}: {same} passed, {differing} failed of {same + differing} inputs ({detail})")
sys.exit(1 if differing or same == 0 else 0)
