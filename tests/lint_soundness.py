"""lint's findings against the simulator: a rule lint calls shadowed, redundant or unreachable can
be removed without changing any packet's fate. For random rulesets (tests/kernel/sim_pools.py)
and the IPv4 save files of the corpora given, each such finding's rule is deleted and the same
packets (made from the rules' own addresses, protocols and ports, and random ones) are run
through both rulesets by `ipt2nft sim`: every packet's verdict, where it ends, its conntrack state
and its connection (NAT) must be the same. Packets sim cannot decide are counted, not compared.
Usage: lint_soundness.py TOOL [RANDOM_RULESETS [SEED [CORPUS_DIR...]]]."""
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel"))
import sim_topology as topo  # noqa: E402
from sim_pools import packets_from_rules, random_packets, random_ruleset  # noqa: E402

tool = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261205
corpora = sys.argv[4:]
CHECKED = {"shadowed-rule", "redundant-rule", "unreachable-rule"}
MOST_PER_RULESET = 6  # a real file has hundreds: a sample of each keeps the run short
tally = {"rulesets": 0, "findings": 0, "packets": 0, "undecided": 0}
failures = []


def run(args, text):
    with tempfile.NamedTemporaryFile("w", suffix=".v4") as f:
        f.write(text)
        f.flush()
        return subprocess.run([tool] + args[:1] + [f.name] + args[1:], capture_output=True, text=True)


def fates(text, packets):
    args = ["sim", "--format=json"] + topo.ROUTER_HOST + [a for p in packets for a in ("--packet", p)]
    out = run(args, text)
    if out.returncode != 0:
        raise RuntimeError(f"sim failed: {out.stderr}")
    return [None if t["unsimulated"] else (t["verdict"], t["end"], t.get("ct_state"), json.dumps(t.get("connection")))
            for t in json.loads(out.stdout)]


def check(what, text, rng):
    out = run(["lint", "--format=json"], text)
    if out.returncode not in (0, 1) or not out.stdout.strip():
        return  # the input has errors: nothing to check
    tally["rulesets"] += 1
    lines = text.splitlines()
    packets = [p.description() for p in packets_from_rules(text, rng, 10) + random_packets(rng)]
    before = fates(text, packets)
    findings = [f for f in json.loads(out.stdout) if f["code"] in CHECKED]
    for finding in rng.sample(findings, min(len(findings), MOST_PER_RULESET)):
        tally["findings"] += 1
        line = finding["line"]
        after = fates("\n".join(lines[:line - 1] + lines[line:]) + "\n", packets)
        for p, a, b in zip(packets, before, after):
            if a is None or b is None:
                tally["undecided"] += 1
            elif a != b:
                failures.append(f"{what}: removing line {line} ({lines[line - 1]}), flagged {finding['code']}, "
                                f"changes '{p}': {a} became {b}")
            else:
                tally["packets"] += 1


rng = random.Random(seed)
files = sorted(f for d in corpora for f in glob.glob(os.path.join(d, "*.v4")))
if corpora and not files:
    print(f"lint_soundness: no corpus files in {' '.join(corpora)} (../shared missing?): random rulesets only")
for path in files:
    with open(path, encoding="utf-8", errors="replace") as f:
        check(os.path.basename(path), f.read(), rng)
for n in range(count):
    check(f"random ruleset {n} (seed {seed})", random_ruleset(rng), rng)
for f in failures[:20]:
    print("FAIL", f)
print(f"lint_soundness: {tally['findings']} findings in {tally['rulesets']} rulesets, each rule removed: "
      f"{tally['packets']} packet fates unchanged, {len(failures)} changed, {tally['undecided']} undecided by sim")
sys.exit(1 if failures or tally["findings"] == 0 else 0)
