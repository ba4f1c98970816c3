"""--noflush against the kernel: a first ruleset loaded, then a second one added with
`iptables-nft-restore --noflush` in one namespace and with `ipt2nft translate --noflush` in
another; the kernel must hold the same rules (declared user chains emptied first, built-in
chains kept and their policies set)."""
import subprocess
import sys

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
print(f"kernel_noflush: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
