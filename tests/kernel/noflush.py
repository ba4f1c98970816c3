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
    lines += [f":{c} {'-' if c in user else rng.choice(['ACCEPT', 'DROP', '-'])} [0:0]" for c in declared]
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

# Scripts of iptables commands run after a random first ruleset: by iptables-nft one command at a
# time, and by loading `ipt2nft translate --noflush` of the script. The kernel's rules, chains and
# policies must agree; where a command fails in iptables the load must fail too, or ipt2nft refuse.
# ipt2nft refuses what depends on rules the kernel holds that it cannot see: -I, -D, -R and -E of
# such chains and -X of one not flushed first; any other refusal is a failure.
POSITIONAL = ("-I", "-D", "-R", "-E", "-X")


def noflush_script(rng, user):
    """Commands over the filter table; `user` holds the user chains the first ruleset made."""
    chains, made, lines = list(user), 0, []
    for _ in range(rng.randint(1, 7)):
        kind = rng.choice(["-A"] * 6 + ["-F", "-F*", "-X", "-N", "-N", "-P", "-P", "-Z"] + (["-I", "-D", "-R", "-E"] if rng.random() < 0.3 else []))
        builtin = rng.choice(["INPUT", "FORWARD", "OUTPUT"])
        target = rng.choice(["-j ACCEPT", "-j DROP"] + [f"-j {u}" for u in chains])
        if kind == "-N":
            name = f"N{made}"
            made += 1
            chains.append(name)
            lines.append(f"-N {name}")
        elif kind == "-X" and chains:
            lines.append(f"-X {chains.pop(rng.randrange(len(chains)))}")
        elif kind == "-F*":
            lines.append("-F")
        elif kind == "-F":
            lines.append(f"-F {rng.choice([builtin] + chains)}")
        elif kind == "-P":
            lines.append(f"-P {builtin} {rng.choice(['ACCEPT', 'DROP'])}")
        elif kind == "-Z":
            lines.append("-Z")
        elif kind == "-E" and chains:
            old = chains.pop(rng.randrange(len(chains)))
            chains.append(f"R{made}")
            lines.append(f"-E {old} R{made}")
            made += 1
        elif kind in ("-I", "-D", "-R"):
            number = " 1" if kind == "-R" else rng.choice(["", "", " 1", " 2"]) if kind == "-I" else ""
            lines.append(f"{kind} {builtin}{number} {rng.choice(SPECS)} {rng.choice(['-j ACCEPT', '-j DROP'])}")
        else:  # user chains only return or drop: no loops; no -i in OUTPUT, which iptables refuses
            chain = rng.choice([builtin] * 2 + chains)
            jump = target if chain == builtin else rng.choice(["-j RETURN", "-j DROP"])
            spec = rng.choice([s for s in SPECS if chain != "OUTPUT" or not s.startswith("-i")])
            lines.append(f"-A {chain} {spec} {jump}")
    return ["iptables " + line for line in lines]


scripts = refused = 0
for seed in range(100):
    rng = random.Random(1000 + seed)
    first = save_file(rng)
    user = [line[1:].split()[0] for line in first.splitlines() if line.startswith(":U")]
    commands = noflush_script(rng, user)
    with netns.namespace() as theirs, netns.namespace() as ours:
        if netns.run(theirs, ["iptables-nft-restore"], stdin=first).returncode:
            continue  # a first ruleset iptables refuses (-i in OUTPUT) leaves nothing to add to
        netns.run(ours, ["iptables-nft-restore"], stdin=first)
        theirs_ok = all(netns.run(theirs, ["iptables-nft", *c.split()[1:]]).returncode == 0 for c in commands)
        # Under `set -e`: a command that fails fails the script, as `theirs_ok` counts it.
        script = subprocess.run([tool, "translate", "-4", "--noflush", "-"],
                                input="set -e\n" + "\n".join(commands) + "\n", capture_output=True, text=True)
        load = netns.run(ours, ["nft", "-f", "-"], stdin=script.stdout) if script.returncode == 0 else None
        ours_ok = load is not None and load.returncode == 0
        why = ""
        if script.returncode and "[unseen-kernel-rules]" in script.stderr:
            refused += 1
            if not any(c.split()[1] in POSITIONAL for c in commands):
                why = "refused a script with no -I, -D, -R, -E or -X"
        elif theirs_ok != ours_ok:
            why = f"iptables {'ran' if theirs_ok else 'failed'} the script, ipt2nft's {'loaded' if ours_ok else 'did not'}"
        elif ours_ok and saved(theirs) != saved(ours):
            why = f"another ruleset:\n{saved(theirs)}\n{saved(ours)}"
        scripts += 1
        if why:
            failed += 1
            print(f"FAIL script seed {seed}: {why}\n{first}" + "\n".join(commands) + f"\n{script.stdout}{script.stderr}"
                  f"{load.stderr if load else ''}")
        else:
            passed += 1
print(f"kernel_noflush: {passed} passed, {failed} failed ({len(CASES)} --noflush cases, {pairs} random pairs of files, "
      f"{scripts} random --noflush scripts of which {refused} refused for rules the kernel holds)")
sys.exit(1 if failed else 0)
