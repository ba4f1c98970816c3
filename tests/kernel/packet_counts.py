"""Packet counts: one ruleset of counting rules (no verdicts, so every packet meets every rule),
loaded by iptables-nft-restore in one namespace and as our translation by `nft -f` in another;
the same packets sent over loopback in each, and every rule's packet and byte counts compared.
Most of these matches iptables-nft keeps as xt modules, whose listing is only a rendering: the
counts are what the kernel did with real packets."""
import re
import subprocess
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_packet_counts")

# Each rule once in INPUT and once in OUTPUT (those the kernel refuses in a hook are left out of
# it, by both); counted after the mangle rules below have marked some packets.
MATCHES = [
    "-p udp -m multiport --dports 22,53,1000:2000", "-p udp -m multiport ! --dports 22,53",
    "-p tcp -m multiport --ports 22,80", "-p udp -m udp --dport 1000:2000", "-p udp -m udp ! --dport 53",
    "-p udp -m udp --sport 40000:40002", "-m length --length 0:100", "-m length ! --length 129:1028",
    "-m ttl --ttl-eq 1", "-m ttl --ttl-gt 64", "-m ttl --ttl-lt 64", "-m ttl ! --ttl-eq 64",
    "-m iprange --src-range 127.0.0.2-127.0.0.5", "-m iprange ! --dst-range 127.0.0.1-127.0.0.1",
    "-s 127.0.0.2/31", "! -d 127.0.0.1/32", "-m owner --uid-owner 0", "-m owner ! --uid-owner 0 --gid-owner 0",
    "-m owner --gid-owner 0", "-m addrtype --src-type LOCAL",
    "-m addrtype --dst-type LOCAL --limit-iface-out", "-m addrtype --dst-type LOCAL --limit-iface-in",
    "-m addrtype ! --dst-type UNICAST", "-m pkttype --pkt-type unicast", "-m pkttype --pkt-type host",
    "-m statistic --mode nth --every 3 --packet 1", "-m limit --limit 1/hour --limit-burst 3",
    "-m conntrack --ctstate NEW", "-m conntrack --ctstate RELATED,ESTABLISHED", "-m conntrack --ctstatus CONFIRMED",
    "-m conntrack --ctdir ORIGINAL", "-m conntrack --ctdir REPLY", "-m conntrack --ctproto udp --ctorigdstport 53",
    "-m conntrack --ctorigsrc 127.0.0.2/31", "-m conntrack ! --ctrepldst 127.0.0.1", "-m state --state RELATED",
    "-m conntrack --ctexpire 1:40", "-p icmp -m icmp --icmp-type port-unreachable", "-p icmp -m icmp --icmp-type 3/3",
    "-p icmp -m icmp ! --icmp-type echo-request", "-p tcp -m tcp --tcp-flags RST,ACK RST,ACK", "-p tcp -m tcp --syn",
    "-p tcp -m tcp ! --syn", "-p tcp -m tcp --tcp-option 2", "-p tcp -m tcp --tcp-option 8", "-m mark --mark 0x5",
    "-m mark --mark 0x4/0x4", "-m connmark --mark 0x7", "-m connmark ! --mark 0x0/0xf", "-m mac --mac-source 0:0:0:0:0:0",
    "-p udp -m udp --dport 53 -m comment --comment counted", "-p 17", "! -p udp", "-p all",
]
MANGLE = ("-A OUTPUT -p udp -m udp --dport 53 -j MARK --set-mark 0x5\n"
          "-A OUTPUT -p udp -m udp --dport 1500 -j MARK --set-xmark 0x6/0xfe\n"
          "-A OUTPUT -p udp -m udp --dport 2000 -j CONNMARK --set-mark 0x7\n")
# UDP from fixed ports with several sizes and TTLs (closed ports: each answered by an ICMP
# port unreachable, RELATED), and TCP connections to closed ports (a SYN, answered by a RST).
SEND = """
import socket
def udp(src, sport, dst, dport, size, ttl=64):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, sport))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    s.sendto(b"x" * size, (dst, dport))
    s.close()
for i, dport in enumerate((22, 53, 80, 1000, 1500, 2000, 2001, 8080)):
    for size in (0, 100, 1000):
        udp("127.0.0.1", 40000 + i % 3, "127.0.0.1", dport, size)
udp("127.0.0.2", 40001, "127.0.0.1", 53, 10, ttl=1)
udp("127.0.0.3", 40002, "127.0.0.4", 53, 10, ttl=255)
udp("127.0.0.1", 50000, "127.0.0.9", 2000, 200, ttl=63)
for port in (22, 80, 443):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.connect(("127.0.0.1", port))
    except OSError:
        pass
    t.close()
"""


def ruleset():
    """The ruleset, without the rules iptables-nft refuses (tried one by one in a namespace)."""
    taken = {"INPUT": [], "OUTPUT": []}
    with netns.namespace() as ns:
        for chain in taken:
            for m in MATCHES:
                if netns.run(ns, ["iptables-nft", "-A", chain, *split(m)]).returncode == 0:
                    taken[chain].append(m)
    rules = "".join(f"-A {chain} {m}\n" for chain, ms in taken.items() for m in ms)
    return f"*mangle\n{MANGLE}COMMIT\n*filter\n{rules}COMMIT\n", sum(len(ms) for ms in taken.values())


def split(rule):
    return [w.strip('"') for w in rule.split()]


def counts_iptables(ns):
    saved = netns.run(ns, ["iptables-nft-save", "-c", "-t", "filter"]).stdout
    return [(line.split("] ", 1)[1], line[1:].split("]")[0]) for line in saved.splitlines() if line.startswith("[")]


def counts_nft(ns):
    listed = netns.run(ns, ["nft", "list", "table", "ip", "filter"]).stdout
    return [f"{m.group(1)}:{m.group(2)}" for m in re.finditer(r"counter packets (\d+) bytes (\d+)", listed)]


def traffic(ns):
    netns.run(ns, ["ip", "link", "set", "lo", "up"])
    netns.run(ns, ["python3", "-c", SEND])
    subprocess.run(["sleep", "0.2"])


text, total = ruleset()
with netns.namespace() as theirs, netns.namespace() as ours:
    restored = netns.run(theirs, ["iptables-nft-restore"], stdin=text)
    script = subprocess.run([tool, "translate", "-4", "-"], input=text, capture_output=True, text=True)
    loaded = netns.run(ours, ["nft", "-f", "-"], stdin=script.stdout) if script.returncode == 0 else None
    if restored.returncode or not loaded or loaded.returncode:
        print(f"FAIL the ruleset did not load: {restored.stderr}{script.stderr}{loaded.stderr if loaded else ''}")
        sys.exit(1)
    traffic(theirs)
    traffic(ours)
    expected, got = counts_iptables(theirs), counts_nft(ours)

failed = 0
if len(expected) != len(got):
    print(f"FAIL {len(expected)} rules counted by iptables-nft, {len(got)} by the translation")
    failed = len(expected)
else:
    for (rule, counts), ours_counts in zip(expected, got):
        if counts != ours_counts:
            failed += 1
            print(f"FAIL {rule}: iptables-nft counted {counts} (packets:bytes), the translation {ours_counts}")
matched = sum(1 for _, counts in expected if not counts.startswith("0:"))
print(f"kernel_packet_counts: {len(expected) - failed} passed, {failed} failed of {len(expected)} counting rules "
      f"({total} taken by iptables-nft of {2 * len(MATCHES)} tried; {matched} saw packets)")
sys.exit(1 if failed or matched < len(expected) // 2 else 0)
