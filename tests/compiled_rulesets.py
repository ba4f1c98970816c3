"""translate --format=sim against the rules themselves: for random rulesets (tests/kernel/sim_pools.py)
and every rules file of the corpora given, `sim` of the compiled file prints exactly what `sim` of
the rules prints, as text and as JSON, for the same packets (made from the rules' own addresses
and ports, and random ones), and `test` of corpus/sim reports the same. translate --format=sim
fails where sim of the rules does. Compiled files edited wrongly are refused with a located error.
Usage: compiled_rulesets.py TOOL CORPUS [RANDOM_RULESETS [SEED [CORPUS_DIR...]]]."""
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

tool, corpus = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 50
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261206
corpora = sys.argv[5:]
work = tempfile.mkdtemp()
tally = {"rulesets": 0, "refused by both": 0, "packets": 0, "bad files refused": 0}
failures = []
IPV6_PACKETS = ["in eth0 tcp [2001:db8::2]:40000 > [2001:db8:1::1]:22 flags S",
                "udp [2001:db8:1::1]:5353 > [2001:db8::9]:53", "in eth1 icmpv6 [2001:db8::7] > [2001:db8:1::1] type 128"]


def run(*args):
    return subprocess.run([tool, *args], capture_output=True, text=True, errors="replace")


def compare(name, rules_path, packets):
    """sim of the rules and of their compiled file, in both formats: the same output."""
    compiled = os.path.join(work, "rules.sim")
    made = run("translate", "--format=sim", "-o", compiled, rules_path)
    packet_args = [a for p in packets for a in ("--packet", p)]
    direct = run("sim", rules_path, *topo.ROUTER_HOST, *packet_args)
    if made.returncode != 0:
        if direct.returncode == 0:
            failures.append(f"{name}: translate --format=sim failed where sim runs: {made.stderr[:300]}")
        else:
            tally["refused by both"] += 1
        return
    tally["rulesets"] += 1
    tally["packets"] += len(packets)
    for form in ("text", "json"):
        a = run("sim", rules_path, *topo.ROUTER_HOST, f"--format={form}", *packet_args)
        b = run("sim", compiled, *topo.ROUTER_HOST, f"--format={form}", *packet_args)
        if (a.returncode, a.stdout) != (b.returncode, b.stdout):
            failures.append(f"{name} ({form}): sim of the compiled file differs:\n--- rules\n{a.stdout[:1500]}{a.stderr[:300]}"
                            f"\n--- compiled\n{b.stdout[:1500]}{b.stderr[:300]}")
            return


def corpus_files():
    files = sorted(glob.glob(os.path.join(corpus, "translate", "*.v[46]")) + glob.glob(os.path.join(corpus, "sim", "*.v4")))
    files.append(os.path.join(corpus, "translate", "script-ipsets.sh"))  # ipsets: the sets' elements in the file
    for directory in corpora:
        if os.path.isdir(directory):
            files += sorted(glob.glob(os.path.join(directory, "*.v[46]")))
        else:
            print(f"compiled_rulesets: {directory} is not here: its files are not compared")
    return files


def check_refusal(what, text, expected):
    path = os.path.join(work, "edited.sim")
    with open(path, "w") as f:
        f.write(text)
    out = run("sim", path, "--packet", "udp 10.1.0.2:1 > 10.2.0.2:53")
    if out.returncode != 1 or expected not in out.stderr or "edited.sim:" not in out.stderr:
        failures.append(f"an edited file ({what}) is not refused as expected ({expected!r}): "
                        f"status {out.returncode}, {out.stderr[:400]}")
    else:
        tally["bad files refused"] += 1


def check_refusals():
    router = os.path.join(corpus, "sim", "router.v4")
    good = run("translate", "--format=sim", router).stdout
    data = json.loads(good)
    edits = []

    def edited(change):
        copy = json.loads(good)
        change(copy)
        return json.dumps(copy)

    filter_table = next(t for t in data["tables"] if t["name"] == "filter")
    f_index = data["tables"].index(filter_table)
    first_rule = next((c, r) for c, chain in enumerate(filter_table["chains"]) for r, _ in enumerate(chain["rules"]))

    def expression(copy):
        c, r = first_rule
        return copy["tables"][f_index]["chains"][c]["rules"][r]["program"]["expressions"]

    edits.append(("a later version", edited(lambda d: d.update(version=2)), "reads version 1"))
    edits.append(("another format", edited(lambda d: d.update(format="nft")), "is no compiled ruleset"))
    edits.append(("a register that is none", edited(lambda d: expression(d).__setitem__(0, ["meta", 6, 30])), "holds no data"))
    edits.append(("a load past the registers", edited(lambda d: expression(d).__setitem__(
        0, ["payload", "network", 0, 90, 1])),
                  "do not fit in the registers"))
    edits.append(("a copy's address past the registers", edited(lambda d: expression(d).__setitem__(0, ["dup", 23])),
                  "do not fit in the registers"))
    edits.append(("a kind of expression that is none", edited(lambda d: expression(d).__setitem__(0, ["fuzz", 1])),
                  "no expression is called 'fuzz'"))
    edits.append(("a number out of range", edited(lambda d: expression(d).__setitem__(0, ["meta", 6, 256])), "from 0 to 255"))
    edits.append(("a field too few", edited(lambda d: expression(d).__setitem__(0, ["meta", 6])), "takes 2 fields, not 1"))
    edits.append(("a lookup of no set", edited(lambda d: expression(d).insert(1, ["lookup", 1, 3, False])),
                  "which the rule does not have"))
    loop = ["verdict", "jump", "LOOP"]
    edits.append(("a loop of jumps", edited(lambda d: d["tables"][f_index]["chains"].append(
        {"name": "LOOP", "base": False, "rules": [{"program": {"expressions": [loop]}}]})), "a loop the kernel refuses"))
    edits.append(("a jump to no chain", edited(lambda d: expression(d).append(["verdict", "jump", "NOWHERE"])),
                  "no user chain of the table"))
    edits.append(("a place outside the sources", edited(lambda d: filter_table["chains"] and
                                                       d["tables"][f_index]["chains"][0].update(declared=[999, 0, 1])),
                  "within one of the sources"))
    for what, text, expected in edits:
        check_refusal(what, text, expected)
    check_refusal("cut short", good[:len(good) // 2], "not a JSON compiled ruleset")
    # A compiled file is the whole ruleset: other rules beside it are refused, not merged.
    compiled = os.path.join(work, "router.sim")
    with open(compiled, "w") as f:
        f.write(good)
    out = run("sim", compiled, router, "--packet", "udp 10.1.0.2:1 > 10.2.0.2:53")
    if out.returncode != 1 or "read alone" not in out.stderr:
        failures.append(f"a compiled file beside rules is not refused: {out.returncode} {out.stderr[:300]}")
    for bad_request in (["--allow-untranslated"], ["-c", "-A INPUT -j ACCEPT"]):
        out = run("translate", "--format=sim", *bad_request, *([router] if bad_request[0] != "-c" else []))
        if out.returncode != 2:
            failures.append(f"translate --format=sim {bad_request[0]} is not a usage error: {out.returncode}")


def check_test_command():
    router = os.path.join(corpus, "sim", "router.v4")
    tests = os.path.join(corpus, "sim", "router.tests.yaml")
    compiled = os.path.join(work, "router.sim")
    run("translate", "--format=sim", "-o", compiled, router)
    a, b = run("test", router, tests), run("test", compiled, tests)
    if (a.returncode, a.stdout) != (b.returncode, b.stdout) or " passed, 0 failed" not in a.stdout:
        failures.append(f"test of the compiled router differs:\n{a.stdout}\n---\n{b.stdout}{b.stderr}")


rng = random.Random(seed)
for path in corpus_files():
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    packets = IPV6_PACKETS if path.endswith(".v6") else \
        [p.description() for p in packets_from_rules(text, rng, 8) + random_packets(rng)]
    compare(os.path.basename(path), path, packets)
for i in range(count):
    text = random_ruleset(rng)
    path = os.path.join(work, "random.v4")
    with open(path, "w") as f:
        f.write(text)
    compare(f"random ruleset {i} (seed {seed})", path,
            [p.description() for p in packets_from_rules(text, rng, 6) + random_packets(rng)])
check_test_command()
check_refusals()

print("compiled_rulesets: " + ", ".join(f"{k} {v}" for k, v in tally.items()))
for f in failures[:10]:
    print("FAIL", f)
sys.exit(1 if failures else 0)
