"""Conntrack effects: rules whose meaning is in what they make conntrack record (zones, helpers,
marks, untracked packets), loaded by iptables-nft-restore in one namespace and as our translation
by `nft -f` in another; one UDP packet over loopback in each, and the conntrack entries compared.
iptables-nft keeps most of these targets as xt modules, so their netlink expressions say nothing
to compare: what the kernel does with the packet does."""
import re
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_conntrack_effects")

# (what, rules): the packet is UDP from 127.0.0.1:40000 to 127.0.0.1:9999, sent from this host (raw and
# mangle OUTPUT, then filter OUTPUT). The filter rule makes every namespace track connections.
CASES = [
    ("zone", "*raw\n-A OUTPUT -p udp -j CT --zone 5\nCOMMIT\n"),
    ("original zone", "*raw\n-A OUTPUT -p udp -j CT --zone-orig 5\nCOMMIT\n"),
    ("reply zone", "*raw\n-A OUTPUT -p udp -j CT --zone-reply 6\nCOMMIT\n"),
    ("both directions: the last value", "*raw\n-A OUTPUT -p udp -j CT --zone-orig 5 --zone-reply 6\nCOMMIT\n"),
    ("a direction after --zone", "*raw\n-A OUTPUT -p udp -j CT --zone 5 --zone-orig 6\nCOMMIT\n"),
    ("notrack", "*raw\n-A OUTPUT -p udp -j CT --notrack\nCOMMIT\n"),
    ("NOTRACK", "*raw\n-A OUTPUT -p udp -j NOTRACK\nCOMMIT\n"),
    ("helper", "*raw\n-A OUTPUT -p udp -j CT --helper tftp\nCOMMIT\n"),
    ("connmark", "*mangle\n-A OUTPUT -p udp -j CONNMARK --set-xmark 0x10/0xf0\nCOMMIT\n"),
    ("DNAT to an address and port", "*nat\n-A OUTPUT -p udp -j DNAT --to-destination 127.0.0.5:7777\nCOMMIT\n"),
    ("DNAT to an address", "*nat\n-A OUTPUT -p udp --dport 9999 -j DNAT --to-destination 127.0.0.5\nCOMMIT\n"),
    ("DNAT to a port range", "*nat\n-A OUTPUT -p udp -j DNAT --to-destination 127.0.0.5:7000-7005\nCOMMIT\n"),
    ("DNAT to an address range", "*nat\n-A OUTPUT -p udp -j DNAT --to-destination 127.0.0.5-127.0.0.9\nCOMMIT\n"),
    ("DNAT to a port alone", "*nat\n-A OUTPUT -p udp -j DNAT --to-destination :8888\nCOMMIT\n"),
    ("REDIRECT", "*nat\n-A OUTPUT -p udp -j REDIRECT --to-ports 7000\nCOMMIT\n"),
    ("REDIRECT to a range", "*nat\n-A OUTPUT -p udp -j REDIRECT --to-ports 7000-7010\nCOMMIT\n"),
    ("SNAT", "*nat\n-A POSTROUTING -p udp -j SNAT --to-source 127.0.0.7:6000\nCOMMIT\n"),
    ("SNAT to an address", "*nat\n-A POSTROUTING -p udp -j SNAT --to-source 127.0.0.7\nCOMMIT\n"),
    ("saved mark", "*mangle\n-A OUTPUT -j MARK --set-mark 0x1234\n-A OUTPUT -j CONNMARK --save-mark\nCOMMIT\n"),
    # NETMAP: the address keeps its host bits (127.0.0.1 becomes 127.9.0.1), the destination in
    # OUTPUT and the source in POSTROUTING, also from a user chain.
    ("NETMAP of the destination", "*nat\n-A OUTPUT -p udp -j NETMAP --to 127.9.0.0/16\nCOMMIT\n"),
    ("NETMAP of the source", "*nat\n-A POSTROUTING -p udp -j NETMAP --to 127.9.0.0/255.255.0.0\nCOMMIT\n"),
    ("NETMAP from a user chain", "*nat\n:U - [0:0]\n-A POSTROUTING -j U\n-A U -p udp -j NETMAP --to 127.8.7.0/24\n"
     "COMMIT\n"),
    ("NETMAP of one address", "*nat\n-A OUTPUT -p udp -j NETMAP --to 127.0.0.5\nCOMMIT\n"),
]
TRACK = "*filter\n-A OUTPUT -m conntrack --ctstate NEW,UNTRACKED\nCOMMIT\n"
SEND = ("import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 40000)); "
        "s.sendto(b'x', ('127.0.0.1', 9999))")


def entries(ns, ruleset_loaded):
    if not ruleset_loaded:
        return None
    netns.run(ns, ["ip", "link", "set", "lo", "up"])
    netns.run(ns, ["python3", "-c", SEND])
    table = netns.run(ns, ["cat", "/proc/net/nf_conntrack"]).stdout
    # The seconds left to live (third field after the protocol) differ from run to run.
    return sorted(re.sub(r"^(\S+\s+\d+\s+\S+\s+\d+)\s+\d+", r"\1", line)
                  for line in table.splitlines() if " udp " in f" {line} ")


tally = netns.Tally()
for what, rules in CASES:
    text = rules + TRACK
    with netns.namespace() as theirs, netns.namespace() as ours:
        restored, script, loaded = netns.load_both(theirs, ours, tool, text)
        expected, got = entries(theirs, restored), entries(ours, loaded)
    # Only an untracked packet leaves no entry: an empty table elsewhere means nothing was compared.
    untracked = "notrack" in rules.lower()
    tally.check(expected is not None and expected == got and (bool(expected) != untracked),
                f"FAIL {what}:\n{text}iptables-nft: {expected}\nipt2nft:      {got}\n{script.stdout}{script.stderr}")
tally.finish("kernel_conntrack_effects", f"{len(CASES)} rulesets")
