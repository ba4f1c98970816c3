"""ipset-translate (ipset 7.17), the incumbent, against our sets, set by set: each translation
loaded by `nft -f` in a namespace of its own and its elements listed back. Where ipset-translate's
set loads and means what the ipset means, the elements must be ours; where it is wrong, the test
asserts how: nested networks and nomatch exceptions it adds as plain intervals (the kernel refuses
the overlap, or the exception becomes a match), bitmap:port keyed by the port alone (xt_set
matches TCP and UDP ports only), list:set as `type unknown` (refused; ours is one set of its members' elements)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import netns

tool = sys.argv[1]
netns.require_root("kernel_ipset_translate")
if not shutil.which("ipset-translate"):
    message = "kernel_ipset_translate: ipset-translate (Debian's ipset) is not installed"
    print(("FAIL " if os.environ.get("CI") else "SKIP ") + message)
    sys.exit(1 if os.environ.get("CI") else netns.SKIP)

# name: (the set's lines, what ipset-translate's translation does: "same", "refused" by nft, or
# "wrong" (loads, with other elements or another key)).
CASES = {
    "hosts": ("create hosts hash:ip family inet timeout 60\nadd hosts 10.0.0.1 timeout 30\nadd hosts 10.0.0.2\n", "same"),
    "svc": ("create svc hash:ip,port family inet\nadd svc 10.0.0.1,udp:53\nadd svc 10.0.0.1,tcp:80\n", "same"),
    "apart": ("create apart hash:net family inet\nadd apart 10.0.0.0/8\nadd apart 192.168.0.0/16\n", "same"),
    "nested": ("create nested hash:net family inet\nadd nested 10.0.0.0/8\nadd nested 10.1.0.0/16\n", "refused"),
    "except": ("create except hash:net family inet\nadd except 10.0.0.0/8\nadd except 192.168.0.0/16 nomatch\n",
               "wrong"),
    "ports": ("create ports bitmap:port range 0-1024\nadd ports 22\n", "wrong"),
    "members": ("create members list:set\nadd members hosts\n", "refused"),  # ours: one set of hosts' elements
}


def elements(ns, family, table, name):
    """The set's type and element lines as nft lists them, expiry times left out."""
    listed = netns.run(ns, ["nft", "list", "set", family, table, name]).stdout
    listed = re.sub(r" expires \S+", "", listed)
    kind = re.search(r"type ([^\n]+)", listed)
    body = re.search(r"elements = \{(.*?)\}", listed, re.S)
    return (kind.group(1).strip() if kind else None,
            sorted(e.strip() for e in body.group(1).split(",")) if body else [])


tally = netns.Tally()
folder = tempfile.TemporaryDirectory()
for name, (lines, expected) in CASES.items():
    theirs_script = subprocess.run(["ipset-translate", "restore"], input=lines, capture_output=True, text=True)
    rules = f"*filter\n-A INPUT -m set --match-set {name} src,dst,dst\nCOMMIT\n"
    sets_file, rules_file = os.path.join(folder.name, "sets.save"), os.path.join(folder.name, "rules.v4")
    with open(sets_file, "w") as f:
        f.write(CASES["hosts"][0] + lines if name == "members" else lines)
    with open(rules_file, "w") as f:
        f.write(rules)
    ours_script = subprocess.run([tool, "translate", sets_file, rules_file], capture_output=True, text=True)
    with netns.namespace() as theirs, netns.namespace() as ours:
        their_load = netns.run(theirs, ["nft", "-f", "-"], stdin=theirs_script.stdout)
        our_load = netns.run(ours, ["nft", "-f", "-"], stdin=ours_script.stdout)
        tally.check(our_load.returncode == 0, f"FAIL {name}: our translation did not load: {our_load.stderr}")
        if expected == "refused":
            tally.check(their_load.returncode != 0, f"FAIL {name}: ipset-translate's set loaded")
            continue
        tally.check(their_load.returncode == 0, f"FAIL {name}: ipset-translate's set did not load: {their_load.stderr}")
        same = elements(theirs, "inet", "global", name) == elements(ours, "ip", "filter", name)
        tally.check(same == (expected == "same"),
                    f"FAIL {name}: expected {expected}: theirs {elements(theirs, 'inet', 'global', name)}, "
                    f"ours {elements(ours, 'ip', 'filter', name)}")
print("ipset-translate: " + ", ".join(f"{name} {expected}" for name, (_, expected) in CASES.items()))
tally.finish("kernel_ipset_translate", tally.passed + tally.failed)
