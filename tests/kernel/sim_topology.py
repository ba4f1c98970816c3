"""The simulator's proving ground: client, router and server namespaces joined by veth pairs
(client c0 10.1.0.2/24 fd01::2/64 - eth0 10.1.0.1/24 fd01::1/64 router eth1 10.2.0.1/24
fd02::1/64 - s0 10.2.0.2/24 fd02::2/64 server; the router's default routes are by the server, so
that any address rules name is routed), crafted IPv4 or IPv6 packets sent one at a time, and the
router's `nft monitor trace` of each, for the family of the case. Client and server drop what
they receive, and the router drops what it sends itself unless marked as a test packet, so that
no packet but the crafted ones reaches conntrack: each crafted packet is one trace. For IPv6 the
neighbours are set by hand and nothing sends neighbour discovery, router solicitations or MLD
reports of its own, as those would be traced too."""
import contextlib
import json
import queue
import socket
import struct
import subprocess
import threading
import uuid

TEST_MARK = 0x5157
ROUTER_HOST = ["--iface", "eth0=10.1.0.1/24,fd01::1/64", "--iface", "eth1=10.2.0.1/24,fd02::1/64", "--route",
               "default=eth1"]
ADDRESSES = {4: {"client": "10.1.0.2", "server": "10.2.0.2", "eth0": "10.1.0.1", "eth1": "10.2.0.1"},
             6: {"client": "fd01::2", "server": "fd02::2", "eth0": "fd01::1", "eth1": "fd02::1"}}
SENTINEL_PORT = 9


def trace_table(family):
    """Traces every packet of the family from its first hook on (priority -1000, before
    conntrack), and drops the sentinels that mark the end of a packet's trace and the router's
    own packets that are not tests."""
    return f"""table {"ip" if family == 4 else "ip6"} ipt2nft_trace {{
  chain pre {{ type filter hook prerouting priority -1000; meta nftrace set 1; udp dport {SENTINEL_PORT} drop; }}
  chain out {{ type filter hook output priority -1000; meta mark != {TEST_MARK:#x} drop; meta nftrace set 1;
               udp dport {SENTINEL_PORT} drop; }}
}}
"""


# Client and server: nothing in, and none of the IPv6 messages a host sends on its own out
# (multicast listener queries and reports, router and neighbour solicitations, DAD's among them).
QUIET = """table inet ipt2nft_quiet {
  chain in { type filter hook input priority 0; policy drop; }
  chain out { type filter hook output priority 0; meta mark != %#x icmpv6 type { 130, 131, 132, 133, 135, 143 } drop; }
}
""" % TEST_MARK

# Sends raw IPv4 or IPv6 packets given in hex on stdin, with the test mark, answering each line.
SENDER = f"""
import socket, sys
sockets = {{}}
for family in (socket.AF_INET, socket.AF_INET6):
    sockets[family] = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sockets[family].setsockopt(socket.SOL_SOCKET, socket.SO_MARK, {TEST_MARK})
for line in sys.stdin:
    packet = bytes.fromhex(line.strip())
    try:
        if packet[0] >> 4 == 4:
            sockets[socket.AF_INET].sendto(packet, (socket.inet_ntoa(packet[16:20]), 0))
        else:
            sockets[socket.AF_INET6].sendto(packet, (socket.inet_ntop(socket.AF_INET6, packet[24:40]), 0))
    except PermissionError:  # a packet the host sends, dropped in output
        pass
    print("ok", flush=True)
"""


def ip_sh(*commands):
    for c in commands:
        subprocess.run(["ip"] + c.split(), check=True)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


PROTOCOLS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}
FLAGS = {c: 1 << i for i, c in enumerate("FSRPAUEC")}


def ip_header(protocol, src, dst, rest, ttl=64):
    if len(src) == 16:
        return struct.pack("!IHBB16s16s", 6 << 28, rest, PROTOCOLS[protocol], ttl, src, dst)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + rest, 0, 0, ttl, PROTOCOLS[protocol], 0, src, dst)
    return ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]


def address_bytes(address):
    return socket.inet_pton(socket.AF_INET6 if ":" in address else socket.AF_INET, address)


def craft(protocol, source, destination, sport=0, dport=0, flags="S", icmp_type=8, icmp_id=1, icmp_code=0,
          about=None):
    """An IPv4 or IPv6 packet as `ipt2nft sim` builds it from the same words: TTL or hop limit
    64, no options, a TCP window of 64240, no payload; checksums right, as conntrack checks them.
    An ICMP error quotes `about` (protocol, source, port, destination, port) as sim does: its IP
    header and eight bytes of its transport header, the ports and zeros."""
    src, dst = address_bytes(source), address_bytes(destination)
    number = PROTOCOLS[protocol]
    if protocol == "tcp":
        bits = sum(FLAGS[c] for c in flags)
        header = struct.pack("!HHIIBBHHH", sport, dport, 0, 0, 0x50, bits, 64240, 0, 0)
    elif protocol == "udp":
        header = struct.pack("!HHHH", sport, dport, 8, 0)
    elif about:
        inner, isrc, isport, idst, idport = about
        quote = ip_header(inner, address_bytes(isrc), address_bytes(idst), 8) + struct.pack("!HHI", isport, idport, 0)
        header = struct.pack("!BBHI", icmp_type, icmp_code, 0, 0) + quote
    else:
        header = struct.pack("!BBHHH", icmp_type, icmp_code, 0, icmp_id, 0)
    if protocol == "icmp":
        sum_at, value = 2, checksum(header)
    else:
        pseudo = src + dst + (struct.pack("!BBH", 0, number, len(header)) if len(src) == 4 else
                              struct.pack("!I3xB", len(header), number))
        sum_at = {"tcp": 16, "udp": 6, "icmpv6": 2}[protocol]
        value = checksum(pseudo + header)
    header = header[:sum_at] + struct.pack("!H", value) + header[sum_at + 2:]
    return ip_header(protocol, src, dst, len(header)) + header


class Monitor:
    """`nft -a monitor trace` in the router, its lines read on a thread."""

    def __init__(self, router):
        self.process = subprocess.Popen(["ip", "netns", "exec", router, "nft", "-a", "monitor", "trace"],
                                        stdout=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, predicate, timeout):
        """The lines up to and with the first that satisfies `predicate`; None when none came in
        `timeout` seconds (the only wait: for an event, never a fixed time)."""
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                return None
            seen.append(line)
            if predicate(line):
                return seen

    def close(self):
        self.process.kill()
        self.process.wait()


class Topology:
    def __init__(self, names):
        self.client, self.router, self.server = names
        self.senders = {}
        self.sentinels = 0

    def sender(self, ns):
        if ns not in self.senders:
            self.senders[ns] = subprocess.Popen(["ip", "netns", "exec", ns, "python3", "-c", SENDER],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        return self.senders[ns]

    def raw_send(self, ns, packet):
        p = self.sender(ns)
        p.stdin.write(packet.hex() + "\n")
        p.stdin.flush()
        return p.stdout.readline().strip() == "ok"

    def send(self, monitor, ns, packet, source):
        """Sends `packet` from namespace `ns` (address `source`), then a sentinel after it from the
        same place, and returns the trace lines up to the sentinel's: the packet's whole trace,
        as the router handles a sender's packets in order. None when the sentinel never came."""
        self.sentinels += 1
        sport = 50000 + self.sentinels
        family = 6 if ":" in source else 4
        side = "eth0" if source.startswith(("10.1.", "fd01:")) else "eth1"
        target = ADDRESSES[family]["server" if ns == self.router else side]
        sentinel = craft("udp", source, target, sport, SENTINEL_PORT)
        if not (self.raw_send(ns, packet) and self.raw_send(ns, sentinel)):
            return None
        return monitor.until(lambda line: f"udp sport {sport} udp dport {SENTINEL_PORT}" in line, 10)

    def close(self):
        for p in self.senders.values():
            p.stdin.close()
            p.wait()


def run_in(ns, args, stdin=None):
    return subprocess.run(["ip", "netns", "exec", ns] + args, input=stdin, capture_output=True, text=True)


@contextlib.contextmanager
def topology():
    tag = uuid.uuid4().hex[:8]
    names = [f"ipt2nft-{role}-{tag}" for role in ("c", "r", "s")]
    client, router, server = names
    made = []
    try:
        for n in names:
            ip_sh(f"netns add {n}")
            made.append(n)
        for ns in names:  # before the links are up: no duplicate address detection, no solicitations
            for setting in ("accept_dad=0", "router_solicitations=0", "accept_ra=0"):
                for scope in ("all", "default"):
                    run_in(ns, ["sysctl", "-qw", f"net.ipv6.conf.{scope}.{setting}"])
        ip_sh(f"link add c0 netns {client} type veth peer name eth0 netns {router}",
              f"link add s0 netns {server} type veth peer name eth1 netns {router}")
        links = ((client, "c0", ["10.1.0.2/24", "fd01::2/64"]), (server, "s0", ["10.2.0.2/24", "fd02::2/64"]),
                 (router, "eth0", ["10.1.0.1/24", "fd01::1/64"]), (router, "eth1", ["10.2.0.1/24", "fd02::1/64"]))
        for ns, dev, addresses in links:
            for a in addresses:
                ip_sh(f"-n {ns} addr add {a} dev {dev}" + (" nodad" if ":" in a else ""))
        for ns, devs in ((client, ["c0", "lo"]), (server, ["s0", "lo"]), (router, ["eth0", "eth1", "lo"])):
            for d in devs:
                ip_sh(f"-n {ns} link set {d} up")
        # Each side knows the other's link address, so that no neighbour discovery is sent.
        mac = {(ns, dev): json.loads(run_in(ns, ["ip", "-j", "link", "show", dev]).stdout)[0]["address"]
               for ns, dev, _ in links}
        v6 = {(ns, dev): next(a.split("/")[0] for a in addresses if ":" in a) for ns, dev, addresses in links}
        for one, other in (((client, "c0"), (router, "eth0")), ((server, "s0"), (router, "eth1"))):
            for here, there in ((one, other), (other, one)):
                ip_sh(f"-n {here[0]} neigh replace {v6[there]} lladdr {mac[there]} dev {here[1]} nud permanent")
        ip_sh(f"-n {client} route add default via 10.1.0.1", f"-n {server} route add default via 10.2.0.1",
              f"-n {router} route add default via 10.2.0.2", f"-n {client} -6 route add default via fd01::1",
              f"-n {server} -6 route add default via fd02::1", f"-n {router} -6 route add default via fd02::2")
        run_in(router, ["sysctl", "-qw", "net.ipv4.ip_forward=1"])
        run_in(router, ["sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"])
        for ns in (client, server):
            loaded = run_in(ns, ["nft", "-f", "-"], QUIET)
            if loaded.returncode != 0:
                raise RuntimeError(f"cannot quiet {ns}: {loaded.stderr}")
        t = Topology(names)
        try:
            yield t
        finally:
            t.close()
    finally:
        for n in made:
            subprocess.run(["ip", "netns", "del", n], check=False)
