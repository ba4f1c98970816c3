"""What nft's syntax cannot hold, apply holds: translate renames a chain named as an nft keyword
and refuses a '"' in a log prefix or an interface name; apply sends them over netlink and the
kernel keeps them as written, as `nft list ruleset` shows (iptables-nft-save calls a table with nft's own log
statement incompatible)."""
import subprocess
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_apply_unwritable")
TEXT = ('*filter\n:reject - [0:0]\n-A INPUT -j reject\n-A reject -j LOG --log-prefix "a\\"b$x"\n'
        '-A INPUT -i "e\\"x" -j ACCEPT\nCOMMIT\n')
tally = netns.Tally()
translated = subprocess.run([tool, "translate", "-4", "-"], input=TEXT, capture_output=True, text=True)
tally.check(translated.returncode == 1 and translated.stderr.count("error:") == 2 and
            "reject -> reject_chain [chain-renamed]" in translated.stderr,
            f"FAIL translate should rename the chain and refuse the two others: {translated.stderr}")
with netns.namespace() as ns:
    applied = subprocess.run([tool, "apply", "--netns", ns, "-4", "-"], input=TEXT, capture_output=True, text=True)
    tally.check(applied.returncode == 0, f"FAIL apply: {applied.stderr}")
    listed = netns.run(ns, ["nft", "list", "ruleset"]).stdout
    for line in ("\tchain reject {", "\t\tcounter packets 0 bytes 0 jump reject\n",
                 '\t\tiifname "e"x" counter packets 0 bytes 0 accept\n', '\t\tcounter packets 0 bytes 0 log prefix "a"b$x"\n'):
        tally.check(line in listed, f"FAIL nft list ruleset does not show {line!r}:\n{listed}")
tally.finish("kernel_apply_unwritable", 6)
