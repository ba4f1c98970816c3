"""Packet counts: one ruleset of counting rules (no verdicts, so every packet meets every rule)
per family, loaded by ip(6)tables-nft-restore in one namespace and as our translation by
`nft -f` in another; the same packets sent over loopback in each, and every rule's packet and
byte counts compared.
Most of these matches iptables-nft keeps as xt modules, whose listing is only a rendering: the
counts are what the kernel did with real packets."""
import datetime
import re
import sys
import time

import netns

tool = sys.argv[1]
netns.require_root("kernel_packet_counts")

# Each rule once in INPUT and once in OUTPUT (those the kernel refuses in a hook are left out of
# it, by both); counted after the mangle rules below have marked some packets, and before the
# REJECT rules that end OUTPUT.
MATCHES = [
    "-p udp -m multiport --dports 22,53,1000:2000", "-p udp -m multiport ! --dports 22,53",
    "-p tcp -m multiport --ports 22,80", "-p udp -m udp --dport 1000:2000", "-p udp -m udp ! --dport 53",
    "-p udp -m udp --sport 40000:40002", "-m length --length 0:100", "-m length ! --length 129:1028",
    "-m ttl --ttl-eq 1", "-m ttl --ttl-gt 64", "-m ttl --ttl-lt 64", "-m ttl ! --ttl-eq 64",
    # Tests nft would merge into another meaning (keep_payload_tests_apart): two `!=` made one, a
    # test moved before a rate, a quota or an nth-packet counter that every other packet counts in.
    "! -p tcp -m ttl ! --ttl-eq 64",
    "-p udp -m limit --limit 1/hour --limit-burst 2 -m ttl --ttl-eq 64",
    "-p udp -m quota --quota 300 -m ttl --ttl-eq 64",
    "-p udp -m statistic --mode nth --every 2 --packet 0 -m ttl --ttl-eq 64",
    "-m iprange --src-range 127.0.0.2-127.0.0.5", "-m iprange ! --dst-range 127.0.0.1-127.0.0.1",
    "-s 127.0.0.2/31", "! -d 127.0.0.1/32", "-m owner --uid-owner 0", "-m owner ! --uid-owner 0 --gid-owner 0",
    "-m owner --gid-owner 0", "-m addrtype --src-type LOCAL",
    "-m addrtype --dst-type LOCAL --limit-iface-out", "-m addrtype --dst-type LOCAL --limit-iface-in",
    "-m addrtype ! --dst-type UNICAST", "-m pkttype --pkt-type unicast", "-m pkttype --pkt-type host",
    "-m statistic --mode nth --every 3 --packet 1", "-m statistic --mode random --probability 1",
    "-m statistic --mode random --probability 0", "-m statistic --mode random ! --probability 0", "-m limit --limit 1/hour --limit-burst 3",
    "-m conntrack --ctstate NEW", "-m conntrack --ctstate RELATED,ESTABLISHED", "-m conntrack --ctstatus CONFIRMED",
    "-m conntrack --ctdir ORIGINAL", "-m conntrack --ctdir REPLY", "-m conntrack --ctproto udp --ctorigdstport 53",
    "-m conntrack --ctorigsrc 127.0.0.2/31", "-m conntrack ! --ctrepldst 127.0.0.1", "-m state --state RELATED",
    "-m conntrack --ctexpire 1:40", "-m conntrack --ctexpire 28", "-m conntrack ! --ctexpire 28",
    "-p icmp -m conntrack --ctexpire 27:28", "-m conntrack --ctstate UNTRACKED --ctproto tcp",
    "-m conntrack --ctstate INVALID,UNTRACKED ! --ctorigsrc 1.2.3.4", "-m conntrack ! --ctstate INVALID,UNTRACKED --ctproto udp",
    "-m conntrack ! --ctstatus ASSURED", "-m conntrack --ctstatus NONE", "-m conntrack ! --ctstatus NONE",
    "-m state --state UNTRACKED", "-m conntrack ! --ctstate NEW --ctdir ORIGINAL",
    "-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT", "-m conntrack --ctstate NEW,UNTRACKED --ctexpire 0:40",
    "! -s 127.0.0.2/32 -m conntrack ! --ctstate ESTABLISHED --ctstatus NONE", "-m conntrack ! --ctstate SNAT",
    "-p icmp -m icmp --icmp-type port-unreachable", "-p icmp -m icmp --icmp-type 3/3",
    "-p icmp -m icmp --icmp-type net-unreachable", "-p icmp -m icmp --icmp-type host-prohibited",
    "-p icmp -m icmp --icmp-type communication-prohibited",
    "-p icmp -m icmp ! --icmp-type echo-request", "-p tcp -m tcp --tcp-flags RST,ACK RST,ACK", "-p tcp -m tcp --syn", "-p tcp -m tcp --tcp-flags ALL SYN",
    "-p tcp -m tcp --tcp-flags ALL RST,ACK", "-p tcp -m tcp ! --tcp-flags ALL NONE",
    "-p tcp -m tcp ! --syn", "-p tcp -m tcp --tcp-option 2", "-p tcp -m tcp --tcp-option 8",
    "-p tcp -m tcp ! --tcp-option 8", "-m mark --mark 0x5",
    "-m mark --mark 0x4/0x4", "-m mark --mark 0x31", "-m mark --mark 0x100", "-m connmark --mark 0x100",
    "-m connmark --mark 0x7", "-m connmark ! --mark 0x0/0xf", "-m mac --mac-source 0:0:0:0:0:0",
    "-p udp -m udp --dport 53 -m comment --comment counted", "-p 17", "! -p udp", "-p all",
    "-p udp -m conntrack --ctorigdstport 53", "-p udp -m conntrack ! --ctreplsrcport 1000:2000",
    "-p tcp -m conntrack --ctstate UNTRACKED,NEW --ctorigsrcport 1024:65535",
    "-p esp -m esp --espspi 500:600", "-p esp -m esp ! --espspi 7", "-p 50 -m esp --espspi 0:4294967295",
    "-p ah -m ah --ahspi 500", "-p ah -m ah ! --ahspi 0:10", "-m ecn --ecn-ip-ect 0", "-m ecn ! --ecn-ip-ect 2",
    "-m ecn --ecn-ip-ect 3", "-p tcp -m ecn --ecn-tcp-cwr", "-p tcp -m ecn ! --ecn-tcp-ece", "-m dscp --dscp 0",
    "-m dscp ! --dscp-class AF41", "-m dscp --dscp 0x2e", "-m devgroup --src-group 0", "-m devgroup ! --dst-group 1/1",
    "-m tos --tos 0xb8", "-m tos ! --tos 0x89/0xff", "-m tos --tos Maximize-Reliability", "-m tos --tos 0x02/0x03",
    "-m tos ! --tos 0x80/0xe0",
    "-m cgroup --cgroup 0", "-m cgroup ! --cgroup 1",
    "-m recent --rcheck --name A", "-m recent --set --name A", "-m recent --rcheck --name A --rdest",
    "-m recent --update --seconds 3600 --name B --rdest", "-m recent ! --rcheck --seconds 3600 --name B",
    "-m recent --set --name B --rdest", "-m recent --rcheck --name C --mask 255.255.255.0",
    "-m recent --set --name C --rdest --mask 255.255.0.0", "-p tcp -m recent --update --name D",
    "-m recent --rcheck --name D --rdest", "-p udp -m recent --set --name D",
    "-p tcp -m connlimit --connlimit-above 0", "-m connlimit --connlimit-upto 1",
    "-p udp -m connlimit --connlimit-above 1 --connlimit-mask 24", "-m connlimit ! --connlimit-above 2 --connlimit-daddr",
    "-m connbytes --connbytes 2: --connbytes-dir both --connbytes-mode packets",
    "-m connbytes ! --connbytes 1:1 --connbytes-dir original --connbytes-mode packets",
    "-m connbytes ! --connbytes 1:2 --connbytes-dir original --connbytes-mode packets",
    "-m connbytes --connbytes 0:100 --connbytes-dir reply --connbytes-mode bytes",
    "-m connbytes ! --connbytes 50 --connbytes-dir both --connbytes-mode avgpkt",
    "-p sctp -m sctp --dport 80", "-p sctp -m sctp", "-p sctp ! --sport 1000:2000",
    "-p dccp -m dccp --dccp-types REQUEST,CLOSE", "-p dccp -m dccp ! --dccp-types INVALID --dport 80",
    "-p dccp -m dccp --dccp-types INVALID", "-p dccp -m dccp --sport 5000",
    # Loopback's 127.0.0.0/8 has realm 7 here (traffic() sets it), 127.0.0.1 itself none.
    "-m realm --realm 7", "-m realm ! --realm 0", "-m realm --realm 5/5", "-m realm ! --realm 0x0/0xf0",
    # A value with bits outside its mask: xt_realm never matches, xt_devgroup compares the bits in it.
    "-m realm --realm 0xf/0x7", "-m realm ! --realm 0x7/0x3", "-m devgroup --src-group 0x1/0x0",
    "-m policy --dir in --pol none", "-m policy --dir in --pol ipsec", "-m policy --dir out --pol none",
    "-m policy --dir out --pol ipsec",
    # The first datagram is 28 bytes, the second 128: quotas that end on a packet and between two.
    "-m quota --quota 28", "-m quota --quota 27", "-m quota ! --quota 156", "-m quota --quota 2000",
    # Buckets per key, refilled too slowly to gain a token while the test runs: the counts are the
    # bursts. Each rule is in INPUT and OUTPUT, so each name is shared (one table of buckets); the
    # second hs6 rule's own settings are ignored by the kernel, as by the translation.
    "-m hashlimit --hashlimit-upto 1/hour --hashlimit-burst 3 --hashlimit-mode srcip --hashlimit-name hs1",
    "-m hashlimit --hashlimit-above 1/hour --hashlimit-burst 4 --hashlimit-mode dstip --hashlimit-dstmask 24 "
    "--hashlimit-name hd2",
    "-p udp -m hashlimit --hashlimit-upto 1/day --hashlimit-burst 2 --hashlimit-mode srcip,dstport --hashlimit-name hp3",
    "-p tcp -m hashlimit ! --hashlimit-upto 2/hour --hashlimit-mode dstip,srcport --hashlimit-name ht4",
    "-m hashlimit --hashlimit-above 1/hour --hashlimit-burst 6 --hashlimit-mode srcip,dstip --hashlimit-srcmask 8 "
    "--hashlimit-name hx5",
    "-m hashlimit --hashlimit-upto 1/hour --hashlimit-burst 7 --hashlimit-mode srcip --hashlimit-name hs6",
    "-m hashlimit --hashlimit-upto 5/hour --hashlimit-burst 2 --hashlimit-mode dstip --hashlimit-name hs6",
    # u32's words: the payload's first (xxxx) and one of the long datagrams', the header length and
    # a port, the protocol and TTL through shifts, the total length in two ranges, source ports.
    '-m u32 --u32 "28=0x78787878"', '-m u32 --u32 "1000=0x78787878"', '-m u32 --u32 "0>>22&0x3C=20&&20&0xFFFF=53"',
    '-m u32 --u32 "8<<8>>24=17"', '-m u32 --u32 "8>>24=1,63:64"', '-m u32 --u32 "0&0xFFFF=100:200,1000:1100"',
    '-m u32 --u32 "20>>16=40000:40001"',
    "-p ipcomp -m ipcomp --ipcompspi 18", "-p ipcomp -m ipcomp ! --ipcompspi 10:20", "-p 108 -m ipcomp",
    "-p ipcomp -m ipcomp ! --ipcompspi 70000:",
    # The MSS of loopback's SYNs (its MTU 65536 less 40 bytes of headers); resets carry no option.
    "-p tcp -m tcpmss --mss 65495", "-p tcp -m tcpmss --mss 1000:65535", "-p tcp -m tcpmss --mss 42",
    # The fingerprints the host loaded (none in the test kernel), read by both (INPUT only).
    "-p tcp -m osf --genre Linux", "-p tcp -m osf --genre Linux --ttl 2",
]


def time_matches():
    """Dates, hours and weekdays around the time the test runs (in UTC, as xt_time reads them):
    windows hours wide, so that none ends while the packets are sent."""
    now = datetime.datetime.now(datetime.timezone.utc)
    hour = lambda delta: (now + datetime.timedelta(hours=delta)).strftime("%H:%M")
    day = lambda delta: (now + datetime.timedelta(days=delta)).strftime("%Y-%m-%dT%H:%M:%S")
    today, tomorrow = now.strftime("%a"), (now + datetime.timedelta(days=1)).strftime("%a")
    return [f"-m time --datestart {day(-1)}", f"-m time --datestop {day(-1)}", f"-m time --datestop {day(1)}",
            f"-m time --datestart {day(-2)} --datestop {day(2)}", f"-m time --timestart {hour(-2)} --timestop {hour(2)}",
            f"-m time --timestart {hour(2)} --timestop {hour(-2)}", f"-m time --timestart {hour(3)} --timestop {hour(5)}",
            f"-m time --timestart {hour(-3)}", f"-m time --timestop {hour(3)}", f"-m time --weekdays {today}",
            f"-m time ! --weekdays {today}", f"-m time --weekdays {tomorrow},{today} --timestart {hour(-1)} --timestop {hour(1)}"]


MATCHES += time_matches()
MATCHES6 = [
    "-p udp -m multiport --dports 22,53,1000:2000", "-p tcp -m multiport ! --dports 22", "-m length --length 0:100",
    "-m hl --hl-eq 1", "-m hl --hl-gt 64", "-m hl ! --hl-lt 64", "-s ::1/128", "! -d ::1/128",
    "-m iprange --src-range ::1-::3", "-m owner --uid-owner 0", "-m owner ! --uid-owner 0 --gid-owner 0",
    "-m addrtype --src-type LOCAL", "-m addrtype ! --dst-type LOCAL --limit-iface-out", "-m pkttype --pkt-type unicast",
    "-m statistic --mode nth --every 2 --packet 0", "-m limit --limit 2/hour --limit-burst 2",
    "-m conntrack --ctstate RELATED", "-m conntrack --ctorigsrc ::1 --ctdir ORIGINAL", "-m state --state NEW",
    "-m conntrack --ctstate UNTRACKED --ctproto tcp", "-m conntrack ! --ctstatus ASSURED", "-m state --state UNTRACKED",
    "-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT", "-m conntrack ! --ctstate NEW --ctdir REPLY",
    "-p ipv6-icmp -m icmp6 --icmpv6-type port-unreachable", "-p ipv6-icmp -m icmp6 --icmpv6-type 1/4",
    "-p ipv6-icmp -m icmp6 --icmpv6-type communication-prohibited", "-p ipv6-icmp -m icmp6 --icmpv6-type no-route",
    "-p ipv6-icmp -m icmp6 --icmpv6-type address-unreachable",
    "-p ipv6-icmp -m icmp6 ! --icmpv6-type destination-unreachable", "-p tcp -m tcp --tcp-flags RST RST",
    "-p tcp -m tcp --syn", "-m mark --mark 0x5", "-m connmark --mark 0x7", "-m mark --mark 0x31", "-m mark --mark 0x100",
    "-p 17", "! -p tcp", "-m mac --mac-source 0:0:0:0:0:0", "-p udp -m conntrack --ctrepldstport 40000:40002",
    "-p esp -m esp --espspi 500:600", "-m ah --ahspi 500", "-m ah ! --ahspi 500:600", "-m ah --ahlen 24",
    "-m ah ! --ahlen 28 --ahres", "-m ah", "-m ecn --ecn-ip-ect 2", "-m ecn ! --ecn-ip-ect 0",
    "-p tcp -m ecn --ecn-tcp-ece", "-m dscp --dscp-class EF", "-m dscp ! --dscp 0", "-m tos --tos 0xb8",
    "-m tos ! --tos 0x89", "-m tos --tos Minimize-Cost", "-m tos --tos 0x03/0x03", "-m tos ! --tos 0x80/0xe0",
    "-m recent --rcheck --name A", "-m recent --set --name A", "-m recent --update --seconds 3600 --name B --rdest",
    "-m recent ! --rcheck --seconds 3600 --name B", "-p udp -m recent --set --name B --rdest",
    "-m recent --rcheck --name C --mask ffff:ffff::", "-m recent --set --name C --rdest --mask ffff::",
    "-m recent --update --name D --rdest", "-p tcp -m recent --set --name D",
    "-m connlimit --connlimit-above 1", "-p udp -m connlimit --connlimit-upto 2 --connlimit-mask 64 --connlimit-daddr",
    "-m connbytes --connbytes 1:2 --connbytes-dir both --connbytes-mode packets",
    "-m policy --dir in --pol ipsec", "-m policy --dir in --pol none", "-m policy --dir out --pol none",
    "-m policy --dir out",
    '-m u32 --u32 "4>>8&0xFF=17"', '-m u32 --u32 "40&0xFFFF=53"', '-m u32 --u32 "48=0x78787878"',
    '-m u32 --u32 "4>>16=100:1100"', "-p ipcomp -m ipcomp --ipcompspi 0:18", "-p ipcomp -m ipcomp ! --ipcompspi 5",
    "-p tcp -m tcpmss --mss 65476", "-p tcp -m tcpmss --mss :1000",
    "-m hbh", "-m hbh --hbh-len 8", "-m hbh ! --hbh-len 8", "-m dst --dst-len 16", "-m dst ! --dst-len 0x10",
    "-m dst", "-m rt --rt-type 2", "-m rt --rt-segsleft 1", "-m rt ! --rt-segsleft 1:9", "-m rt ! --rt-len 24",
    "-m rt --rt-len 24 --rt-type 2", "-m rt --rt-type 0", "-m rt --rt-segsleft 0:4294967295", "-m frag",
    "-m frag --fragid 100:200", "-m frag ! --fragid 150", "-m frag --fraglast", "-m frag --fragmore",
    "-m frag --fragfirst --fragres", "-p mh -m mh --mh-type bu", "-p mh -m mh ! --mh-type 1:3", "-p mh -m mh",
    "-m quota --quota 48", "-m quota ! --quota 47", "-m quota --quota 1000",
    "-m hashlimit --hashlimit-upto 1/hour --hashlimit-burst 3 --hashlimit-mode srcip --hashlimit-name hs1",
    "-p udp -m hashlimit --hashlimit-above 1/day --hashlimit-burst 2 --hashlimit-mode dstip,dstport "
    "--hashlimit-dstmask 64 --hashlimit-name hp2",
    "-p udp -m hashlimit --hashlimit-upto 1/hour --hashlimit-burst 4 --hashlimit-mode srcport --hashlimit-name hp3",
] + time_matches()
# Rules iptables-nft itself lowers to another meaning, counted against iptables-legacy's xt
# modules instead: it merges two `!=` port tests into one, as nft would (a packet then passes if
# either port differs; xt_udp and xt_tcp test both).
LEGACY_MATCHES = ["-p udp -m udp ! --sport 40001 ! --dport 53", "-p udp -m udp ! --sport 40000:40001 ! --dport 53",
                  "-p tcp -m tcp ! --sport 1 ! --dport 22"]
# IPsec headers with several SPIs (no SA: dropped after INPUT), IPComp headers with several CPIs, SCTP and DCCP headers (DCCP of
# types REQUEST, CLOSE, INVALID and 11) and datagrams with several TOS bytes (DSCP EF, AF41 with
# ECT(1), ECT(0), CE), for the esp, ah, sctp, dccp, ecn and dscp matches.
def raw_headers_and_tos(family, address, tos_option):
    return f"""
import socket, struct
for spi in (5, 7, 500, 550, 1000):
    esp = socket.socket(socket.{family}, socket.SOCK_RAW, 50)
    esp.sendto(struct.pack("!II", spi, 1) + bytes(16), ("{address}", 0))
    ah = socket.socket(socket.{family}, socket.SOCK_RAW, 51)
    # next header UDP, length field 4 (24 bytes), reserved bits set for the SPI 7 one
    ah.sendto(struct.pack("!BBHII", 17, 4, 1 if spi == 7 else 0, spi, 1) + bytes(12) +
              struct.pack("!HHHH", 1000, 9, 8, 0), ("{address}", 0))
for cpi in (5, 18, 70):
    comp = socket.socket(socket.{family}, socket.SOCK_RAW, 108)
    comp.sendto(struct.pack("!BBH", 17, 0, cpi) + bytes(16), ("{address}", 0))
for port in (80, 81):
    sctp = socket.socket(socket.{family}, socket.SOCK_RAW, 132)
    sctp.sendto(struct.pack("!HHII", 5000, port, 1, 0) + bytes(16), ("{address}", 0))
for kind in (0, 6, 10, 11):
    dccp = socket.socket(socket.{family}, socket.SOCK_RAW, 33)
    dccp.sendto(struct.pack("!HHBBHBB", 5000, 80, 4, 0, 0, kind << 1 | 1, 0) + bytes(8), ("{address}", 0))
for tos in (0xb8, 0x89, 0x02, 0x03):
    s = socket.socket(socket.{family}, socket.SOCK_DGRAM)
    s.setsockopt({tos_option}, tos)
    s.sendto(b"t" * 20, ("{address}", 4000))
    s.close()
"""


# IPv6 packets with extension headers, written whole on a raw socket: hop-by-hop options (8
# bytes), destination options (16), routing headers of type 2 (24 bytes, one segment left) and
# type 0 (reserved bits set), a fragment header that fragments nothing (id 150, offset 0, last),
# and mobility headers (binding update, home test init), each before UDP or as the last header.
IPV6_HEADERS = """
import socket, struct
def packet(next_header, headers):
    ip = struct.pack("!IHBB16s16s", 6 << 28, len(headers), next_header, 64, socket.inet_pton(socket.AF_INET6, "::1"),
                     socket.inet_pton(socket.AF_INET6, "::1"))
    raw = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.sendto(ip + headers, ("::1", 0))
udp = struct.pack("!HHHH", 1000, 9, 8, 0)
pad = lambda length: bytes([1, length - 2]) + bytes(length - 2)  # a PadN option
packet(0, bytes([17, 0]) + pad(6) + udp)
packet(60, bytes([17, 1]) + pad(14) + udp)
packet(43, bytes([17, 2, 2, 1]) + bytes(4) + socket.inet_pton(socket.AF_INET6, "::1") + udp)
packet(43, bytes([17, 2, 0, 0]) + bytes([0, 0, 0, 1]) + socket.inet_pton(socket.AF_INET6, "::1") + udp)
packet(44, struct.pack("!BBHI", 17, 0, 0, 150) + udp)
for kind in (5, 1):
    packet(135, bytes([59, 1, kind, 0]) + bytes(12))
"""


# Untracked packets: conntrack tests other than the state pass over them in xt_conntrack.
RAW = "-A OUTPUT -p udp -m udp --dport 8080 -j CT --notrack\n-A OUTPUT -p udp -m udp --dport 2001 -j NOTRACK\n"
MANGLE = ("-A OUTPUT -p udp -m udp --dport 53 -j MARK --set-mark 0x5\n"
          "-A OUTPUT -p udp -m udp --dport 1500 -j MARK --set-xmark 0x6/0xfe\n"
          "-A OUTPUT -p udp -m udp --dport 2000 -j CONNMARK --set-mark 0x7\n"
          "-A OUTPUT -p udp -m udp --dport 2001 -j MARK --set-mark 0xf0\n"
          "-A OUTPUT -p udp -m udp --dport 2001 -j MARK --and-mark 0x30\n"
          "-A OUTPUT -p udp -m udp --dport 2001 -j MARK --xor-mark 0x1\n"
          "-A OUTPUT -p udp -m udp --dport 8080 -j MARK --or-mark 0x100\n"
          "-A OUTPUT -p udp -m udp --dport 8080 -j CONNMARK --save-mark\n"
          "-A INPUT -j CONNMARK --restore-mark\n")
# UDP from fixed ports with several sizes and TTLs (closed ports: each answered by an ICMP
# port unreachable, RELATED); TCP connections are added per family below.
SEND = """
import socket
def udp(src, sport, dst, dport, size, ttl=64):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, sport))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    try:
        s.sendto(b"x" * size, (dst, dport))
    except OSError:  # refused by a REJECT rule, or by an ICMP error of an earlier datagram
        pass
    s.close()
for i, dport in enumerate((22, 53, 80, 1000, 1500, 2000, 2001, 8080)):
    for size in (0, 100, 1000):
        udp("127.0.0.1", 40000 + i % 3, "127.0.0.1", dport, size)
udp("127.0.0.2", 40001, "127.0.0.1", 53, 10, ttl=1)
udp("127.0.0.3", 40002, "127.0.0.4", 53, 10, ttl=255)
udp("127.0.0.1", 50000, "127.0.0.9", 2000, 200, ttl=63)
# An ICMP error 1.5 s after its flow's datagram: RELATED, which leaves the flow's 30 s timeout as
# it was, so the connection has 28.x s left (xt_conntrack reads whole seconds, 28).
import struct, time
def checksum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
lo = socket.inet_aton("127.0.0.1")
inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 38, 1, 0, 64, 17, 0, lo, lo) + struct.pack("!HHHH", 41000, 3000, 18, 0)
icmp = struct.pack("!BBHI", 3, 3, 0, 0) + inner
icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
start = time.monotonic()
udp("127.0.0.1", 41000, "127.0.0.1", 3000, 10)
time.sleep(1.5)
raw.sendto(icmp, ("127.0.0.1", 0))
# The caller sends again when a loaded machine let more than 2 s pass (27 s left, not 28).
print(f"icmp-delay {time.monotonic() - start:.3f}")
"""
# The same over IPv6: ::1 to ::1, answered by ICMPv6 port unreachable.
SEND6 = """
import socket
def udp(sport, dport, size, hops=64):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::1", sport))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hops)
    try:
        s.sendto(b"x" * size, ("::1", dport))
    except OSError:
        pass
    s.close()
for i, dport in enumerate((22, 53, 1000, 1500, 2000, 8080)):
    for size in (0, 100, 1000):
        udp(40000 + i % 3, dport, size, hops=(1, 64, 255)[i % 3])
"""


def connections(family, address, ports):
    """TCP connections to closed ports: a SYN each, answered by a reset."""
    return f"""
for port in {ports}:
    t = socket.socket(socket.{family}, socket.SOCK_STREAM)
    try:
        t.connect(("{address}", port))
    except OSError:
        pass
    t.close()
"""


# Ends OUTPUT: packets to these ports are rejected, each way; INPUT counts the answers.
REJECTS = ("-A OUTPUT -p udp -m udp --dport 1000 -j REJECT --reject-with {}\n"
           "-A OUTPUT -p udp -m udp --dport 1500 -j REJECT --reject-with {}\n"
           "-A OUTPUT -p udp -m udp --dport 2000 -j REJECT --reject-with {}\n"
           "-A OUTPUT -p udp -m udp --dport 8080 -j REJECT\n"
           "-A OUTPUT -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset\n")
FAMILIES = [("-4", "ip", "iptables-nft", MATCHES, SEND + connections("AF_INET", "127.0.0.1", (22, 80, 443)) +
             raw_headers_and_tos("AF_INET", "127.0.0.1", "socket.IPPROTO_IP, socket.IP_TOS"),
             REJECTS.format("icmp-net-unreachable", "icmp-host-prohibited", "icmp-admin-prohibited")),
            ("-6", "ip6", "ip6tables-nft", MATCHES6, SEND6 + connections("AF_INET6", "::1", (22, 80)) +
             raw_headers_and_tos("AF_INET6", "::1", "socket.IPPROTO_IPV6, socket.IPV6_TCLASS") + IPV6_HEADERS,
             REJECTS.format("icmp6-adm-prohibited", "icmp6-addr-unreachable", "icmp6-no-route")),
            ("-4", "ip", "iptables-legacy", LEGACY_MATCHES, SEND + connections("AF_INET", "127.0.0.1", (22, 80)),
             REJECTS.format("icmp-net-unreachable", "icmp-host-prohibited", "icmp-admin-prohibited"))]


def ruleset(program, matches, rejects):
    """The ruleset, without the rules iptables-nft refuses (tried one by one in a namespace)."""
    taken = {"INPUT": [], "OUTPUT": []}
    with netns.namespace() as ns:
        for chain in taken:
            for m in matches:
                if netns.run(ns, [program, "-A", chain, *split(m)]).returncode == 0:
                    taken[chain].append(m)
    # Each rule named by a comment: ipt2nft writes some as two nft rules (for packets without a
    # connection), whose counts add up.
    rules = "".join(f"-A {chain} {m} -m comment --comment r{i}\n"
                    for i, (chain, m) in enumerate((chain, m) for chain, ms in taken.items() for m in ms))
    return (f"*raw\n{RAW}COMMIT\n*mangle\n{MANGLE}COMMIT\n*filter\n{rules}{rejects}COMMIT\n",
            sum(len(ms) for ms in taken.values()))


def split(rule):
    return [w.strip('"') for w in rule.split()]


def traffic(ns, send):
    """Sends the packets; False when the sender says the ICMP error came too late (a loaded machine)."""
    netns.run(ns, ["ip", "link", "set", "lo", "up"])
    netns.run(ns, ["ip", "route", "replace", "local", "127.0.0.0/8", "dev", "lo", "table", "local", "realm", "7",
                   "proto", "kernel", "scope", "host", "src", "127.0.0.1"])
    # SYNs that ask for ECN carry ECE and CWR: flags iptables' ALL leaves out.
    netns.run(ns, ["sysctl", "-qw", "net.ipv4.tcp_ecn=1"])
    sent = netns.run(ns, ["python3", "-c", send])
    if sent.returncode:
        print(f"FAIL the traffic could not be sent: {sent.stderr}")
        sys.exit(1)
    time.sleep(0.2)
    delay = re.search(r"icmp-delay ([\d.]+)", sent.stdout)
    return not delay or float(delay.group(1)) < 1.9


def counted(family, program, tool, text, option, send):
    """Both namespaces loaded and sent the packets, in time; the counts of each, or None."""
    for attempt in range(3):
        with netns.namespace() as theirs, netns.namespace() as ours:
            restored, script, loaded = netns.load_both(theirs, ours, tool, text, option[1:], f"{program}-restore")
            if not (restored and loaded):
                print(f"FAIL the {family} ruleset did not load (restored: {restored}): {script.stderr}")
                return None
            if traffic(theirs, send) and traffic(ours, send):
                return netns.counts_iptables(theirs, program), netns.counts_nft(ours, family)
        print(f"note: {family} traffic sent again: the machine delayed the ICMP error past 1.9 s")
    print(f"FAIL {family}: the ICMP error came late in 3 attempts: the machine is too loaded to time it")
    return None


tally = netns.Tally()
compared = 0
summary = []
for option, family, program, matches, send, rejects in FAMILIES:
    text, total = ruleset(program, matches, rejects)
    result = counted(family, program, tool, text, option, send)
    if result is None:
        tally.check(False, f"FAIL {family}: no counts to compare")
        continue
    expected, got = result
    if len(expected) != len(got):
        tally.check(False, f"FAIL {family}: {len(expected)} rules counted by {program}, {len(got)} by the translation")
        continue
    for rule, name, counts in expected:
        compared += 1
        tally.check(counts == got.get(name),
                    f"FAIL {family} {rule}: {program} counted {counts} (packets:bytes), the translation "
                    f"{got.get(name)}")
    matched = sum(1 for _, _, counts in expected if not counts.startswith("0:"))
    if matched < len(expected) // 2:
        tally.check(False, f"FAIL {family}: only {matched} of {len(expected)} rules saw a packet: the traffic did not flow")
    summary.append(f"{program}: {len(expected)} rules ({total} of {2 * len(matches)} tried taken), "
                   f"{matched} saw packets")
tally.finish("kernel_packet_counts", f"{compared} counting rules ({'; '.join(summary)})")
