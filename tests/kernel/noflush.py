"""--noflush against the kernel: a first ruleset loaded, then a second one added with
`iptables-nft-restore --noflush` in one namespace and with `ipt2nft translate --noflush` in
another; the kernel must hold the same rules (declared user chains emptied first, built-in
chains kept and their policies set). Then random pairs of save files (fixed seeds), each pair
given to ipt2nft as two input files, which form one ruleset as consecutive restores do: the
first restored, the second restored with --noflush, must list alike in iptables-nft-save."""
import pathlib
import random
import subprocess
import sys
import tempfile

import bytecode
import netns

tool = sys.argv[1]
netns.require_root("kernel_noflush")
FIRST = "*filter\n:X - [0:0]\n:Y - [0:0]\n-A X -j ACCEPT\n-A Y -j ACCEPT\n-A INPUT -j X\n-A INPUT -j Y\nCOMMIT\n"
CASES = [
    "*filter\n:X - [0:0]\n:INPUT DROP [0:0]\n-A X -j DROP\nCOMMIT\n",
    "*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A Y -j DROP\nCOMMIT\n",
    "*filter\n:Z - [0:0]\n-A Z -j RETURN\n-A INPUT -j Z\nCOMMIT\n",
]
passed = failed = 0
for second in CASES:
    with netns.namespace() as theirs, netns.namespace() as ours:
        netns.run(theirs, ["iptables-nft-restore"], stdin=FIRST)
        netns.run(theirs, ["iptables-nft-restore", "--noflush"], stdin=second)
        for text, flags in ((FIRST, []), (second, ["--noflush"])):
            script = subprocess.run([tool, "translate", "-4", *flags, "-"], input=text, capture_output=True, text=True)
            load = netns.run(ours, ["nft", "-f", "-"], stdin=script.stdout)
            if script.returncode or load.returncode:
                print(f"FAIL: {script.stderr}{load.stderr}")
        same = bytecode.rules(theirs) == bytecode.rules(ours)
    if same:
        passed += 1
    else:
        failed += 1
        print(f"FAIL --noflush of {second!r}: the kernel holds different rules")

SPECS = ["-p tcp -m tcp --dport 22", "-s 10.0.0.1/32", "-i eth0", "-p udp -m udp --sport 53", ""]


def save_file(rng):
    """A filter block declaring some built-in and user chains, with rules in them."""
    user = [f"U{i}" for i in range(rng.randint(0, 2))]
    declared = rng.sample(["INPUT", "FORWARD", "OUTPUT"], rng.randint(0, 3)) + user
    lines = ["*filter"]
    lines += [f":{c} {'-' if c in user else rng.choice(['ACCEPT', 'DROP'])} [0:0]" for c in declared]
    for _ in range(rng.randint(0, 5)):
        chain = rng.choice(declared or ["INPUT"])
        targets = ["-j ACCEPT", "-j DROP"] + ([f"-j {u}" for u in user] if chain not in user else [])
        lines.append(f"-A {chain} {rng.choice(SPECS)} {rng.choice(targets)}")
    return "\n".join(lines + ["COMMIT"]) + "\n"


def saved(ns):
    out = netns.run(ns, ["iptables-nft-save"]).stdout
    return [line.split(" [")[0] for line in out.splitlines() if line and not line.startswith("#")]


pairs = 80
for seed in range(pairs):
    rng = random.Random(seed)
    first, second = save_file(rng), save_file(rng)
    with netns.namespace() as theirs, netns.namespace() as ours:
        restored = (netns.run(theirs, ["iptables-nft-restore"], stdin=first).returncode == 0 and
                    netns.run(theirs, ["iptables-nft-restore", "--noflush"], stdin=second).returncode == 0)
        with tempfile.TemporaryDirectory() as work:
            names = [pathlib.Path(work, "first.v4"), pathlib.Path(work, "second.v4")]
            names[0].write_text(first)
            names[1].write_text(second)
            script = subprocess.run([tool, "translate", "-4", *map(str, names)], capture_output=True, text=True)
        if restored != (script.returncode == 0):
            failed += 1
            print(f"FAIL seed {seed}: restores {'took' if restored else 'refused'} the pair, ipt2nft exit "
                  f"{script.returncode}:\n{first}{second}{script.stderr}")
            continue
        if not restored:
            passed += 1
            continue
        load = netns.run(ours, ["nft", "-f", "-"], stdin=script.stdout)
        if load.returncode or saved(theirs) != saved(ours):
            failed += 1
            print(f"FAIL seed {seed}: another ruleset\n{first}{second}{load.stderr}{saved(theirs)}\n{saved(ours)}")
        else:
            passed += 1
print(f"kernel_noflush: {passed} passed, {failed} failed ({len(CASES)} --noflush cases, {pairs} random pairs of files)")
sys.exit(1 if failed else 0)
