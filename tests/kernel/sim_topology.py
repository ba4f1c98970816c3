"""The simulator's proving ground: client, router and server namespaces joined by veth pairs
(client c0 10.1.0.2/24 - eth0 10.1.0.1/24 router eth1 10.2.0.1/24 - s0 10.2.0.2/24 server; the
router's default route is by the server, so that any address rules name is routed), crafted
IPv4 packets sent one at a time, and the router's `nft monitor trace` of each. Client and server
drop what they receive, and the router drops what it sends itself unless marked as a test packet,
so that no packet but the crafted ones reaches conntrack: each crafted packet is one trace."""
import contextlib
import queue
import socket
import struct
import subprocess
import threading
import uuid

TEST_MARK = 0x5157
ROUTER_HOST = ["--iface", "eth0=10.1.0.1/24", "--iface", "eth1=10.2.0.1/24", "--route", "default=eth1"]
SENTINEL_PORT = 9

# Traces every packet from its first hook on (priority -1000, before conntrack), and drops the
# sentinels that mark the end of a packet's trace and the router's own packets that are not tests.
TRACE_TABLE = f"""table ip ipt2nft_trace {{
  chain pre {{ type filter hook prerouting priority -1000; meta nftrace set 1; udp dport {SENTINEL_PORT} drop; }}
  chain out {{ type filter hook output priority -1000; meta mark != {TEST_MARK:#x} drop; meta nftrace set 1;
               udp dport {SENTINEL_PORT} drop; }}
}}
"""
DROP_INPUT = "table inet ipt2nft_quiet {\n  chain in { type filter hook input priority 0; policy drop; }\n}\n"

# Sends raw IPv4 packets given in hex on stdin, with the test mark, answering each line.
SENDER = f"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, {TEST_MARK})
for line in sys.stdin:
    packet = bytes.fromhex(line.strip())
    try:
        s.sendto(packet, (socket.inet_ntoa(packet[16:20]), 0))
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


PROTOCOLS = {"tcp": 6, "udp": 17, "icmp": 1}
FLAGS = {c: 1 << i for i, c in enumerate("FSRPAUEC")}


def craft(protocol, source, destination, sport=0, dport=0, flags="S", icmp_type=8, icmp_id=1):
    """An IPv4 packet as `ipt2nft sim` builds it from the same words: TTL 64, no options, a TCP
    window of 64240, no payload; checksums right, as conntrack checks them."""
    src, dst = socket.inet_aton(source), socket.inet_aton(destination)
    number = PROTOCOLS[protocol]
    if protocol == "tcp":
        bits = sum(FLAGS[c] for c in flags)
        header = struct.pack("!HHIIBBHHH", sport, dport, 0, 0, 0x50, bits, 64240, 0, 0)
    elif protocol == "udp":
        header = struct.pack("!HHHH", sport, dport, 8, 0)
    else:
        header = struct.pack("!BBHHH", icmp_type, 0, 0, icmp_id, 0)
    if protocol == "icmp":
        sum_at, value = 2, checksum(header)
    else:
        pseudo = src + dst + struct.pack("!BBH", 0, number, len(header))
        sum_at, value = (16 if protocol == "tcp" else 6), checksum(pseudo + header)
    header = header[:sum_at] + struct.pack("!H", value) + header[sum_at + 2:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(header), 0, 0, 64, number, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + header


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
        target = "10.1.0.1" if source.startswith("10.1.") else "10.2.0.1"
        if ns == self.router:
            target = "10.2.0.2"
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
        ip_sh(f"link add c0 netns {client} type veth peer name eth0 netns {router}",
              f"link add s0 netns {server} type veth peer name eth1 netns {router}",
              f"-n {client} addr add 10.1.0.2/24 dev c0", f"-n {server} addr add 10.2.0.2/24 dev s0",
              f"-n {router} addr add 10.1.0.1/24 dev eth0", f"-n {router} addr add 10.2.0.1/24 dev eth1")
        for ns, devs in ((client, ["c0", "lo"]), (server, ["s0", "lo"]), (router, ["eth0", "eth1", "lo"])):
            for d in devs:
                ip_sh(f"-n {ns} link set {d} up")
        ip_sh(f"-n {client} route add default via 10.1.0.1", f"-n {server} route add default via 10.2.0.1",
              f"-n {router} route add default via 10.2.0.2")
        run_in(router, ["sysctl", "-qw", "net.ipv4.ip_forward=1"])
        for ns in (client, server):
            loaded = run_in(ns, ["nft", "-f", "-"], DROP_INPUT)
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
