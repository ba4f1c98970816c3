"""Packet edits: targets that change a packet (DSCP, TOS, TTL, HL, TCPMSS), loaded by
ip(6)tables-nft-restore in one namespace and as our translation by `nft -f` in another; over
loopback a UDP datagram is received with its TOS (traffic class) byte and TTL (hop limit), and a TCP connection accepted with the segment
size the client's SYN offered, and what the receiver sees is compared. iptables-nft keeps
these targets as xt modules: their listing says nothing of what they write."""
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_packet_edits")

# (what, family, rules in the mangle table). Datagrams leave with TOS 0x03 (both ECN bits set),
# so a target that writes the ECN bits shows it.
CASES = [
    ("DSCP", "4", "-A OUTPUT -p udp -j DSCP --set-dscp 0x0a"),
    ("DSCP class", "4", "-A POSTROUTING -p udp -j DSCP --set-dscp-class EF"),
    ("TOS over the whole byte", "4", "-A OUTPUT -p udp -j TOS --set-tos 0x10"),
    ("TOS with ECN bits", "4", "-A OUTPUT -p udp -j TOS --set-tos 0x13"),
    ("TOS DSCP bits", "4", "-A OUTPUT -p udp -j TOS --set-tos 0x20/0xfc"),
    ("TOS ECN bits", "4", "-A OUTPUT -p udp -j TOS --set-tos 0x01/0x03"),
    ("TCPMSS", "4", "-A OUTPUT -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1000"),
    ("DSCP over IPv6", "6", "-A OUTPUT -p udp -j DSCP --set-dscp 0x2e"),
    ("TOS over IPv6", "6", "-A POSTROUTING -p udp -j TOS --set-tos 0x48"),
    ("TTL", "4", "-A OUTPUT -p udp -j TTL --ttl-set 7"),
    ("HL", "6", "-A POSTROUTING -p udp -j HL --hl-set 9"),
    ("TCPMSS over IPv6", "6", "-A POSTROUTING -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1200"),
]

RECEIVE = """
import socket, sys
v6 = sys.argv[1] == "6"
family, host = (socket.AF_INET6, "::1") if v6 else (socket.AF_INET, "127.0.0.1")
level, option, recv, recv_ttl = ((socket.IPPROTO_IPV6, socket.IPV6_TCLASS, socket.IPV6_RECVTCLASS, 51) if v6 else
                                 (socket.IPPROTO_IP, socket.IP_TOS, socket.IP_RECVTOS, 12))  # IPV6_RECVHOPLIMIT, IP_RECVTTL
r = socket.socket(family, socket.SOCK_DGRAM)
r.bind((host, 9000))
r.setsockopt(level, recv, 1)
r.setsockopt(level, recv_ttl, 1)
s = socket.socket(family, socket.SOCK_DGRAM)
s.setsockopt(level, option, 3)
s.sendto(b"x", (host, 9000))
data, ancillary, _, _ = r.recvmsg(16, 64)
tos = sorted((kind, int.from_bytes(d, sys.byteorder)) for _, kind, d in ancillary)
listener = socket.socket(family, socket.SOCK_STREAM)
listener.bind((host, 9001))
listener.listen()
client = socket.create_connection((host, 9001))
accepted, _ = listener.accept()
print("tos and ttl", tos, "mss", accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG))
"""


def seen(ns, family):
    netns.run(ns, ["ip", "link", "set", "lo", "up"])
    received = netns.run(ns, ["python3", "-c", RECEIVE, family])
    return received.stdout.strip() if received.returncode == 0 else f"failed: {received.stderr}"


tally = netns.Tally()
for what, family, rules in CASES:
    text = f"*mangle\n{rules}\nCOMMIT\n"
    with netns.namespace() as theirs, netns.namespace() as ours:
        restored, script, loaded = netns.load_both(theirs, ours, tool, text, family)
        expected = seen(theirs, family) if restored else "iptables-nft refused the rule"
        got = seen(ours, family) if loaded else "not translated"
    tally.check(expected == got and not expected.startswith(("failed", "iptables-nft refused")),
                f"FAIL {what}: {rules}\niptables-nft: {expected}\nipt2nft:      {got}\n{script.stdout}{script.stderr}")
tally.finish("kernel_packet_edits", f"{len(CASES)} targets")
