"""TPROXY by packets: xt_TPROXY (restored by iptables-nft) and our translation (nft -f) given
the same UDP datagrams from a client namespace over a veth, first with no transparent socket
listening (xt_TPROXY drops them: the translation's second rule must too), then with one (both
hand them to it, marked, and accept them). Compared: what reached the socket, what reached
filter INPUT, and what went on past the TPROXY rule in mangle PREROUTING."""
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_transparent_proxy")

RULESET = """*mangle
-A PREROUTING -i eth0 -p udp -m udp --dport 7000 -j TPROXY --on-port 9000 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1
-A PREROUTING -i eth0 -p udp -m comment --comment r0
COMMIT
*filter
-A INPUT -i eth0 -p udp -m comment --comment r1
-A INPUT -i eth0 -p udp -m mark --mark 0x1/0x1 -m comment --comment r2
COMMIT
"""
SEND = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port in (7000, 7000, 7000, 7001):
    s.sendto(b"proxied?", ("10.3.0.1", port))
"""
# In the host: the datagrams sent with no socket listening, then with a transparent one bound to
# the port TPROXY names; how many it received.
LISTEN = """
import socket, subprocess, sys
send = ["ip", "netns", "exec", sys.argv[1], "python3", "-c", sys.argv[2]]
subprocess.run(send, check=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_IP, 19, 1)  # IP_TRANSPARENT
s.bind(("127.0.0.1", 9000))
subprocess.run(send, check=True)
s.settimeout(5)
received = 0
try:
    while received < 3:
        s.recv(100)
        received += 1
    s.setblocking(False)  # every datagram was sent before: one more would be queued already
    s.recv(100)
    received += 1
except (socket.timeout, BlockingIOError):
    pass
print(f"received {received}")
"""


def wire(host, client):
    commands = [(host, ["ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", client]),
                (host, ["ip", "addr", "add", "10.3.0.1/24", "dev", "eth0"]), (host, ["ip", "link", "set", "eth0", "up"]),
                (host, ["ip", "link", "set", "lo", "up"]), (host, ["ip", "rule", "add", "fwmark", "1", "lookup", "100"]),
                (host, ["ip", "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100"]),
                (client, ["ip", "addr", "add", "10.3.0.2/24", "dev", "eth0"]), (client, ["ip", "link", "set", "eth0", "up"])]
    for ns, command in commands:
        done = netns.run(ns, command)
        if done.returncode:
            print(f"FAIL {' '.join(command)}: {done.stderr}")
            sys.exit(1)


def received(host, client):
    ran = netns.run(host, ["python3", "-c", LISTEN, client, SEND])
    if ran.returncode:
        print(f"FAIL the datagrams could not be sent: {ran.stderr}")
        sys.exit(1)
    return ran.stdout.strip()


tally = netns.Tally()
with netns.host_pairs(wire, tool, RULESET) as (theirs, ours, c1, c2):
    their_socket, our_socket = received(theirs, c1), received(ours, c2)
    tally.check(their_socket == our_socket == "received 3",
                f"FAIL the transparent socket: with xt_TPROXY {their_socket}, with the translation {our_socket} "
                f"(3 expected: the datagrams sent while it listened)")
    expected = netns.counts_iptables(theirs, "iptables-nft", "mangle") + netns.counts_iptables(theirs, "iptables-nft")
    got = {**netns.counts_nft(ours, "ip", "mangle"), **netns.counts_nft(ours, "ip")}
    for rule, name, counts in expected:
        tally.check(counts == got.get(name), f"FAIL {rule}: with xt_TPROXY {counts} (packets:bytes), with the "
                                             f"translation {got.get(name)}")
    # Past TPROXY and into INPUT: only the two datagrams to 7001; INPUT also sees the three the
    # socket took, marked.
    packets = {name: counts.split(":")[0] for _, name, counts in expected}
    tally.check(packets == {"r0": "2", "r1": "5", "r2": "3"}, f"FAIL xt_TPROXY itself counted {packets}")
tally.finish("kernel_transparent_proxy", "the socket and 3 counting rules")
