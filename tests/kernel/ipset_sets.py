"""ipsets by packets: sets made by `ipset restore` and rules restored by iptables-nft (xt_set,
SET) in one namespace (nomatch exceptions, nested networks and a list:set among them); the same `ipset save` file and rules translated (sets as nft sets) and
loaded by `nft -f` in another, and applied over netlink in a third. The same datagrams and
connections sent over loopback in the first two, and every counting rule's packets compared;
the listings of nft -f and apply compared too, and a counted set's element counters. IPv4, then
IPv6 (addresses on loopback)."""
import os
import re
import subprocess
import sys
import tempfile

import netns

tool = sys.argv[1]
netns.require_root("kernel_ipset_sets")

SETS = """create hosts hash:ip family inet
add hosts 127.0.0.2
add hosts 127.0.0.3
create nets hash:net family inet
add nets 127.0.0.0/29
add nets 127.0.0.4/30 nomatch
add nets 127.0.0.5
add nets 127.0.1.0/24
add nets 127.0.1.128/25 nomatch
add nets 127.0.1.200-127.0.1.201
create wide hash:net family inet
add wide 127.0.0.0/31
add wide 127.0.0.0/30
add wide 127.0.1.0/24
add wide 127.0.1.128/25
create svc hash:ip,port family inet counters
add svc 127.0.0.1,udp:53 packets 7 bytes 700
add svc 127.0.0.1,tcp:80
add svc 127.0.0.1,udp:1000-1002
add svc 127.0.0.3,udp:40000
create np hash:net,port family inet
add np 127.0.0.0/30,udp:4000
create ports bitmap:port range 0-50000
add ports 53
add ports 4000-4001
add ports 40000
create ifs hash:net,iface family inet
add ifs 127.0.0.0/8,lo
create ipi hash:ip,port,ip family inet
add ipi 127.0.0.3,udp:53,127.0.0.1
create more hash:ip family inet
add more 127.0.0.4
create both list:set
add both hosts
add both more
create dyn hash:ip family inet timeout 600 maxelem 1000
create gone hash:ip family inet
add gone 127.0.0.4
add gone 127.0.0.5
"""

MATCHES = [
    "-m set --match-set hosts src", "-m set ! --match-set hosts src", "-m set --match-set nets src",
    "-m set ! --match-set nets src", "-m set --match-set wide src", "-m set --match-set svc dst,dst", "-m set --match-set svc src,src",
    "-m set --match-set np src,dst", "-m set --match-set ports dst", "-m set --match-set ports src",
    "-m set --match-set ifs src,src", "-m set --match-set both src", "-m set ! --match-set both src", "-m set --match-set ipi src,dst,dst",
    "-p udp --dport 5000 -j SET --add-set dyn src", "-m set --match-set dyn src", "-m set --match-set gone src",
    "-p udp --dport 5001 -j SET --del-set gone src", "-m set --match-set gone src",
    "-p udp --dport 5002 -j SET --add-set dyn dst --exist --timeout 60", "-m set --match-set dyn dst",
]

# Datagrams from several loopback sources and ports; a refused TCP connection; the SET rules'
# ports: 127.0.0.5 is deleted from `gone` (by 5001) before its other datagrams, added to `dyn`
# (by 5000) before them too.
SEND = """
import socket
def udp(src, sport, dport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, sport))
    s.sendto(b"x" * 10, ("127.0.0.1", dport))
    s.close()
udp("127.0.0.5", 0, 5001)
udp("127.0.0.5", 0, 5000)
for src in ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.1.200"):
    for sport, dport in ((0, 53), (0, 1001), (0, 1003), (40000, 4000), (0, 4001), (0, 9999), (0, 5002)):
        udp(src, sport, dport)
t = socket.socket()
t.bind(("127.0.0.2", 0))
try:
    t.connect(("127.0.0.1", 80))
except OSError:
    pass
"""


SETS6 = """create hosts6 hash:ip family inet6
add hosts6 2001:db8::2
create nets6 hash:net family inet6
add nets6 2001:db8::/64
add nets6 2001:db8::4/126 nomatch
add nets6 2001:db8::5
create svc6 hash:ip,port family inet6 counters
add svc6 2001:db8::1,udp:53
add svc6 2001:db8::1,udp:1000-1002
create dyn6 hash:ip family inet6 timeout 600
"""
MATCHES6 = [
    "-m set --match-set hosts6 src", "-m set ! --match-set hosts6 src", "-m set --match-set nets6 src",
    "-m set ! --match-set nets6 src", "-m set --match-set svc6 dst,dst", "-p udp --dport 5000 -j SET --add-set dyn6 src",
    "-m set --match-set dyn6 src",
]
# IPv6 addresses on loopback (no duplicate address detection, so usable at once), datagrams from
# each to the first.
ADDRESSES6 = ["2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::4", "2001:db8::5", "2001:db8:1::9"]
SEND6 = """
import socket
def udp(src, dport):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.sendto(b"x" * 10, ("2001:db8::1", dport))
    s.close()
udp("2001:db8::3", 5000)
for src in %r:
    for dport in (53, 54, 1001, 5000):
        udp(src, dport)
""" % ADDRESSES6


def ipt2nft(*args):
    return subprocess.run([tool, *args], capture_output=True, text=True)


def rules_of(matches):
    return "*filter\n" + "".join(f"-A INPUT {m} -m comment --comment r{i}\n" for i, m in enumerate(matches)) + "COMMIT\n"


def compare(family, sets, matches, send, counted, tally):
    """The sets and counting rules under xt_set, by nft -f of the translation and by apply; the
    same packets through the first two; every rule's counts and the counted set's element
    counters compared."""
    v6 = family == "6"
    rules = rules_of(matches)
    folder = tempfile.TemporaryDirectory()
    files = [os.path.join(folder.name, "sets.save"), os.path.join(folder.name, "rules.v" + ("6" if v6 else "4"))]
    for path, text in zip(files, (sets, rules)):
        with open(path, "w") as f:
            f.write(text)
    with netns.namespace() as theirs, netns.namespace() as ours, netns.namespace() as applied:
        restored = netns.run(theirs, ["ipset", "restore"], stdin=sets)
        loaded = netns.run(theirs, ["ip6tables-nft-restore" if v6 else "iptables-nft-restore"], stdin=rules)
        if restored.returncode or loaded.returncode:
            print(f"FAIL ipset or iptables-nft refused the ruleset: {restored.stderr}{loaded.stderr}")
            sys.exit(1)
        script = ipt2nft("translate", *files)
        ours_loaded = netns.run(ours, ["nft", "-f", "-"], stdin=script.stdout)
        if script.returncode or ours_loaded.returncode:
            print(f"FAIL the translation did not load: {script.stderr}{ours_loaded.stderr}")
            sys.exit(1)
        applied_run = ipt2nft("apply", "--netns", applied, *files)
        tally.check(applied_run.returncode == 0, f"FAIL apply: {applied_run.stderr}")
        listing = lambda ns: netns.run(ns, ["nft", "list", "ruleset"]).stdout
        tally.check(listing(ours) == listing(applied), f"FAIL IPv{family}: apply's listing differs from nft -f's")
        for ns in (theirs, ours):
            netns.run(ns, ["ip", "link", "set", "lo", "up"])
            for address in ADDRESSES6 if v6 else []:
                netns.run(ns, ["ip", "-6", "addr", "add", address + "/64", "dev", "lo", "nodad"])
            sent = netns.run(ns, ["python3", "-c", send])
            if sent.returncode:
                print(f"FAIL sending: {sent.stderr}")
                sys.exit(1)
        theirs_counts = netns.counts_iptables(theirs, "ip6tables-nft" if v6 else "iptables-nft")
        ours_counts = netns.counts_nft(ours, "ip6" if v6 else "ip")
        for rule, name, counts in theirs_counts:
            tally.check(ours_counts.get(name) == counts,
                        f"FAIL IPv{family} {name} `{rule}`: xt_set {counts}, translation {ours_counts.get(name)}")
        # The counted set's element counters (its lookups count every packet they find), added up.
        their_list = netns.run(theirs, ["ipset", "list", counted]).stdout
        our_list = netns.run(ours, ["nft", "list", "set", "ip6" if v6 else "ip", "filter", counted]).stdout
        total = lambda text: [sum(int(n) for n in re.findall(word + r" (\d+)", text)) for word in ("packets", "bytes")]
        tally.check(total(their_list) == total(our_list) and total(our_list)[0] > 7,
                    f"FAIL {counted}'s element counters: xt_set {total(their_list)}, nft {total(our_list)}")
        matched = sum(1 for _, _, counts in theirs_counts if not counts.startswith("0:"))
        print(f"IPv{family}: {matched} of {len(theirs_counts)} rules matched some packet")
        tally.check(len(theirs_counts) == len(matches), f"FAIL {len(theirs_counts)} rules counted of {len(matches)}")


tally = netns.Tally()
compare("4", SETS, MATCHES, SEND, "svc", tally)
compare("6", SETS6, MATCHES6, SEND6, "svc6", tally)
tally.finish("kernel_ipset_sets", tally.passed + tally.failed)
