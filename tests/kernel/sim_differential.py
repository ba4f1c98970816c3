"""`ipt2nft sim` against the kernel, packet by packet. In three namespaces (sim_topology) the
router loads a ruleset with `ipt2nft apply`; crafted packets cross it one at a time and the
kernel's trace records, for each, the chains entered in order, the rules that matched (by
handle) and the verdict; the conntrack table is read at the end. `ipt2nft sim`, given the same
rules, the router's interfaces and the same packets in the same order, must agree on all of it:
the chains, each matching rule's position, the verdict, and every connection's tuples (NAT).
Cases: the LOG experiment (every chain of every table, for a packet forwarded, one to the router
and one from it), NAT flows, and random rulesets from a pool made for this topology with random
flows (requests, and replies to the tuple the kernel's conntrack expects); and every IPv4 save
file of the corpora given that apply takes, with packets made from the addresses, protocols and
ports its rules name. Usage: sim_differential.py TOOL [RANDOM_RULESETS [SEED [CORPUS_DIR...]]]."""
import glob
import ipaddress
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import netns
import sim_topology as topo

tool = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261205
corpora = sys.argv[4:]
netns.require_root("kernel_sim_differential")

TRACE_LINE = re.compile(r"^trace id (\w+) ip (\S+) (\S+) (.*)$")
RULE = re.compile(r"^rule .* # handle (\d+) \(verdict (\w+)")
ORIGINS = {"client": "in eth0 ", "server": "in eth1 ", "router": ""}


class Packet:
    def __init__(self, origin, protocol, source, destination, sport=0, dport=0, flags="S", icmp_type=8):
        self.origin, self.protocol, self.source, self.destination = origin, protocol, source, destination
        self.sport, self.dport, self.flags, self.icmp_type = sport, dport, flags, icmp_type

    def bytes(self):
        return topo.craft(self.protocol, self.source, self.destination, self.sport, self.dport, self.flags,
                          self.icmp_type)

    def description(self):
        words = ORIGINS[self.origin] + self.protocol
        if self.protocol == "icmp":
            words += f" {self.source} > {self.destination} type {self.icmp_type}"
        else:
            words += f" {self.source}:{self.sport} > {self.destination}:{self.dport}"
        if self.protocol == "tcp":
            words += f" flags {self.flags}"
        if self.origin == "router":
            words += f" mark {topo.TEST_MARK:#x}"
        return words


def handles(router):
    """(table, chain) → the handles of its rules in order, from the router's listing."""
    listing = topo.run_in(router, ["nft", "-a", "list", "ruleset"]).stdout
    out, table, chain = {}, None, None
    for line in listing.splitlines():
        if m := re.match(r"^table ip (\S+) \{", line):
            table = m.group(1)
        elif m := re.match(r"^\s+chain (\S+) \{", line):
            chain = m.group(1)
            out[(table, chain)] = []
        elif m := re.search(r"# handle (\d+)$", line):
            if chain is not None and not line.strip().startswith(("type ", "chain ")):
                out[(table, chain)].append(int(m.group(1)))
    return out


def kernel_visits(lines, positions):
    """The packet's trace: [(table, chain, [positions of matching rules])], and its verdict. All
    lines but the sentinels' are the packet's: the kernel may give one packet more than one
    trace id (the id hashes the packet's flow hash, which forwarding can compute on the way)."""
    events = [m.groups() for m in map(TRACE_LINE.match, lines) if m]
    sentinels = {i for i, _, _, rest in events if f"udp dport {topo.SENTINEL_PORT} " in rest}
    visits, verdict = [], "accept"
    for i, table, chain, rest in events:
        if i in sentinels or table == "ipt2nft_trace":
            continue
        if not visits or visits[-1][:2] != (table, chain):
            visits.append((table, chain, []))
        if m := RULE.match(rest):
            handle = int(m.group(1))
            chain_handles = positions.get((table, chain), [])
            visits[-1][2].append(chain_handles.index(handle) if handle in chain_handles else f"handle {handle}")
            if m.group(2) == "drop":
                verdict = "drop"
        elif rest.startswith("policy drop"):
            verdict = "drop"
    return visits, verdict


BASE_CHAINS = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}


def sim_visits(trace):
    """The steps as the kernel's trace can show them: it says nothing of a user chain where no
    rule matched (the chain's end returns silently), so such a step is left out and the caller's
    steps on either side are one."""
    visits = []
    for s in trace["steps"]:
        if not s["matches"] and s["chain"] not in BASE_CHAINS:
            continue
        if visits and visits[-1][:2] == (s["table"], s["chain"]):
            visits[-1][2].extend(m["position"] for m in s["matches"])
        else:
            visits.append((s["table"], s["chain"], [m["position"] for m in s["matches"]]))
    return visits


def kernel_connections(router):
    """Each IPv4 connection of the router's table as its two tuples in sim's words."""
    out = set()
    for line in topo.run_in(router, ["cat", "/proc/net/nf_conntrack"]).stdout.splitlines():
        if not line.startswith("ipv4 "):
            continue
        protocol = line.split()[2]
        src, dst = re.findall(r"src=(\S+)", line), re.findall(r"dst=(\S+)", line)
        sport, dport = re.findall(r"sport=(\d+)", line), re.findall(r"dport=(\d+)", line)
        tuples = []
        for d in range(2):
            if protocol in ("tcp", "udp"):
                tuples.append(f"{protocol} {src[d]}:{sport[d]} > {dst[d]}:{dport[d]}")
            else:
                tuples.append(f"{protocol} {src[d]} > {dst[d]}")
        out.add(tuple(tuples))
    return out


def reply_to(router, packet):
    """The reply the router's conntrack expects to `packet`, from whoever owns its source."""
    for original, reply in kernel_connections(router):
        if original == packet_tuple(packet):
            words = reply.split()
            source, destination = words[1], words[3]
            protocol = packet.protocol
            if owner(source.rsplit(":", 1)[0]) == owner(destination.rsplit(":", 1)[0]):
                return None  # a reply that would not cross the router (hairpin NAT)
            if protocol == "icmp":
                return Packet(owner(source), "icmp", source, destination, icmp_type=0)
            (s, sp), (d, dp) = source.rsplit(":", 1), destination.rsplit(":", 1)
            return Packet(owner(s), protocol, s, d, int(sp), int(dp), "SA" if packet.flags == "S" else "A")
    return None


def packet_tuple(p):
    if p.protocol == "icmp":
        return f"icmp {p.source} > {p.destination}"
    return f"{p.protocol} {p.source}:{p.sport} > {p.destination}:{p.dport}"


def owner(address):
    if address in ("10.1.0.1", "10.2.0.1"):
        return "router"
    return "client" if address.startswith("10.1.") else "server"


class NotApplied(Exception):
    """apply refuses the ruleset: a corpus file may hold what the kernel cannot run."""


def run_case(what, rules, packets, flows_reply=None, must_apply=True):
    """Applies `rules` in the router, sends the packets (with `flows_reply(i)` true, the reply to
    packet i after it), and compares with sim. A list of failures, empty when all agree."""
    with topo.topology() as t, tempfile.NamedTemporaryFile("w", suffix=".v4") as f:
        f.write(rules)
        f.flush()
        applied = subprocess.run([tool, "apply", "--netns", t.router, f.name], capture_output=True, text=True)
        if applied.returncode != 0:
            if not must_apply:
                raise NotApplied()
            return [f"{what}: apply failed: {applied.stderr}"]
        traced = topo.run_in(t.router, ["nft", "-f", "-"], topo.TRACE_TABLE)
        if traced.returncode != 0:
            return [f"{what}: the trace table does not load: {traced.stderr}"]
        positions = handles(t.router)
        monitor = topo.Monitor(t.router)
        try:
            if not any(t.send(monitor, t.client, topo.craft("udp", "10.1.0.2", "10.1.0.1", 1, topo.SENTINEL_PORT),
                              "10.1.0.2") is not None for _ in range(50)):
                return [f"{what}: the trace monitor never started"]
            sent, traces = [], []
            queue_ = list(packets)
            while queue_:
                p = queue_.pop(0)
                ns = {"client": t.client, "server": t.server, "router": t.router}[p.origin]
                lines = t.send(monitor, ns, p.bytes(), p.source)
                if lines is None:
                    return [f"{what}: no trace of {p.description()}"]
                sent.append(p)
                traces.append(lines)
                if flows_reply and flows_reply(len(sent) - 1):
                    if (r := reply_to(t.router, p)) is not None:
                        queue_.insert(0, r)
            connections = kernel_connections(t.router)
        finally:
            monitor.close()
        args = [tool, "sim", f.name, "--format=json"] + topo.ROUTER_HOST
        for p in sent:
            args += ["--packet", p.description()]
        simulated = subprocess.run(args, capture_output=True, text=True)
        if simulated.returncode != 0:
            return [f"{what}: sim failed: {simulated.stderr}"]
        return compare(what, rules, sent, traces, positions, json.loads(simulated.stdout), connections)


compared = {"packets": 0, "connections": 0, "unsimulated": 0}


def compare(what, rules, sent, traces, positions, simulated, connections):
    # From a packet sim says it cannot decide exactly on (a NAT port the kernel picks by a hash),
    # the rest of the case is not compared: it is counted apart.
    known = next((i for i, s in enumerate(simulated) if s["unsimulated"]), len(simulated))
    if known < len(simulated):
        compared["unsimulated"] += 1
        sent, traces, simulated, connections = sent[:known], traces[:known], simulated[:known], None
    compared["packets"] += len(sent)
    compared["connections"] += len(connections or ())
    failures = []
    for i, (p, lines, s) in enumerate(zip(sent, traces, simulated)):
        visits, verdict = kernel_visits(lines, positions)
        if visits != sim_visits(s) or verdict != s["verdict"]:
            failures.append(f"{what}: packet {i + 1} ({p.description()}):\n  kernel: {verdict} {visits}\n"
                            f"  sim:    {s['verdict']} {sim_visits(s)}\n" + "\n".join(lines))
    # Each connection as the last of its packets left it: in the table or not (a reset ends one).
    last = {s["connection"]["original"]: s["connection"] for s in simulated if "connection" in s}
    ours = {(c["original"], c["reply"]) for c in last.values() if c["in_table"]}
    if connections is not None and ours != connections:
        failures.append(f"{what}: conntrack\n  kernel: {sorted(connections)}\n  sim:    {sorted(ours)}")
    if failures:
        failures[-1] += "\npackets:\n" + "".join(f"  {p.description()}\n" for p in sent) + rules
    return failures


def log_experiment(condition):
    rules = ""
    for table, chains in (("raw", ["PREROUTING", "OUTPUT"]),
                          ("mangle", ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]),
                          ("nat", ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]),
                          ("filter", ["INPUT", "FORWARD", "OUTPUT"]), ("security", ["INPUT", "FORWARD", "OUTPUT"])):
        rules += f"*{table}\n" + "".join(f":{c} ACCEPT [0:0]\n" for c in chains)
        rules += "".join(f'-A {c} {condition}-j LOG --log-prefix "{table} {c} "\n' for c in chains) + "COMMIT\n"
    return rules, [Packet("client", "tcp", "10.1.0.2", "10.2.0.2", 40000, 80),
                   Packet("client", "udp", "10.1.0.2", "10.1.0.1", 40001, 53),
                   Packet("router", "udp", "10.2.0.1", "10.2.0.2", 40002, 53)]


NAT_RULES = """*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 10.2.0.2:80
-A PREROUTING -i eth0 -p udp --dport 5353 -j REDIRECT --to-ports 53
-A POSTROUTING -o eth1 -p udp -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:FROM_CLIENT - [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p udp --dport 53 -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i eth0 -j FROM_CLIENT
-A FROM_CLIENT -p tcp -d 10.2.0.2 --dport 80 -m conntrack --ctstate NEW -j ACCEPT
-A FROM_CLIENT -p udp -j ACCEPT
-A FROM_CLIENT -j REJECT
COMMIT
"""
NAT_PACKETS = [Packet("client", "tcp", "10.1.0.2", "10.1.0.1", 40000, 8080),
               Packet("client", "udp", "10.1.0.2", "10.2.0.2", 40001, 53),
               Packet("client", "udp", "10.1.0.2", "10.1.0.1", 40002, 5353),
               Packet("client", "tcp", "10.1.0.2", "10.2.0.2", 40003, 22),
               Packet("server", "tcp", "10.2.0.2", "10.1.0.2", 80, 40004, "SA")]

ADDRESSES = ["10.1.0.2", "10.2.0.2", "10.1.0.0/24", "10.2.0.0/24", "10.1.0.1", "10.2.0.1", "10.1.0.7", "10.0.0.0/8"]
PORTS = ["22", "80", "53", "1000:2000", "40000:40100", "8080"]
# Kinds of match, each used once in a rule at most: (kind, the chains it is not allowed in, options).
MATCHES = [
    ("source", (), lambda r: f"{r.choice(['', '! '])}-s {r.choice(ADDRESSES)}"),
    ("destination", (), lambda r: f"{r.choice(['', '! '])}-d {r.choice(ADDRESSES)}"),
    ("in", ("OUTPUT", "POSTROUTING", "USER"), lambda r: r.choice(["-i eth0", "-i eth1", "-i eth+", "! -i eth1"])),
    ("out", ("PREROUTING", "INPUT", "USER"), lambda r: r.choice(["-o eth1", "-o eth0", "! -o eth0"])),
    ("protocol", (), lambda r: r.choice([
        f"-p tcp --dport {r.choice(PORTS)}", f"-p udp --sport {r.choice(PORTS)}", f"-p {r.choice(['tcp', 'udp', 'icmp'])}",
        "-p tcp --syn", "-p tcp ! --syn", "-p tcp --tcp-flags SYN,ACK ACK", "-p tcp --tcp-flags ALL SYN",
        "-p icmp --icmp-type echo-request", "-p icmp --icmp-type echo-reply", "-p tcp -m multiport --dports 22,80,443",
        "-p udp -m multiport --ports 53,1000:2000"])),
    ("conntrack", (), lambda r: "-m conntrack " + r.choice([
        "--ctstate NEW", "--ctstate ESTABLISHED", "--ctstate RELATED,ESTABLISHED", "--ctstate INVALID",
        "--ctstate NEW,INVALID", "--ctstate UNTRACKED", "--ctstate DNAT", "--ctstate SNAT", "--ctdir REPLY",
        "--ctdir ORIGINAL", "--ctstatus ASSURED", "--ctstatus SEEN_REPLY", "--ctorigdst 10.1.0.1", "--ctproto udp"])),
    ("state", (), lambda r: "-m state --state " + r.choice(["NEW", "ESTABLISHED", "INVALID"])),
    ("mark", (), lambda r: r.choice(["-m mark --mark 0x1", "-m mark ! --mark 0x1", "-m connmark --mark 0x1"])),
    ("range", (), lambda r: r.choice(["-m iprange --src-range 10.1.0.1-10.1.0.5",
                                      "-m iprange ! --dst-range 10.2.0.2-10.2.0.9"])),
    ("header", (), lambda r: r.choice(["-m length --length 0:40", "-m ttl --ttl-eq 64", "-m ttl --ttl-lt 10"])),
    ("type", (), lambda r: r.choice(["-m addrtype --dst-type LOCAL", "-m addrtype ! --src-type LOCAL",
                                     "-m pkttype --pkt-type unicast"])),
    ("nth", (), lambda r: "-m statistic --mode nth --every 2 --packet " + r.choice(["0", "1"])),
    ("limit", (), lambda r: "-m limit --limit 1000/second --limit-burst 100"),
]
FILTER_TARGETS = ["-j ACCEPT", "-j DROP", "-j REJECT", "", "-j LOG", "-j USER1", "-g USER2"]
CHAINS = {"filter": ["INPUT", "FORWARD", "OUTPUT"], "mangle": ["PREROUTING", "FORWARD", "POSTROUTING"],
          "nat": ["PREROUTING", "POSTROUTING"], "raw": ["PREROUTING"]}
TARGETS = {
    "mangle": ["-j MARK --set-mark 0x1", "-j CONNMARK --set-mark 0x1", "-j ACCEPT", ""],
    "raw": ["-j NOTRACK", "-j ACCEPT", ""],
}
NAT_TARGETS = {"PREROUTING": ["-j DNAT --to-destination 10.2.0.2", "-p tcp -j REDIRECT --to-ports 22", "-j ACCEPT"],
               "POSTROUTING": ["-j MASQUERADE", "-j SNAT --to-source 10.2.0.1", "-j ACCEPT"]}


def random_rule(r, chain, targets, hook_chain):
    allowed = [m for kind, banned, m in MATCHES
               if hook_chain not in banned and not (kind == "protocol" and "-p " in " ".join(targets))]
    words = [f"-A {chain}"] + [m(r) for m in r.sample(allowed, r.choice([0, 1, 1, 2, 2, 3]))] + [r.choice(targets)]
    return " ".join(w for w in words if w)


def random_ruleset(r):
    text = ""
    for table, chains in CHAINS.items():
        text += f"*{table}\n" + "".join(f":{c} {r.choice(['ACCEPT', 'DROP']) if table == 'filter' else 'ACCEPT'} [0:0]\n"
                                        for c in chains)
        users = ["USER1", "USER2"] if table == "filter" else []
        text += "".join(f":{u} - [0:0]\n" for u in users)
        for c in chains:
            targets = (FILTER_TARGETS if table == "filter" else NAT_TARGETS[c] if table == "nat" else TARGETS[table])
            text += "".join(random_rule(r, c, targets, c) + "\n" for _ in range(r.randint(0, 4)))
        for u in users:
            targets = ["-j ACCEPT", "-j DROP", "-j RETURN", "", "-j LOG"] + (["-j USER2"] if u == "USER1" else [])
            # Reached from every filter chain: no interface tests.
            text += "".join(random_rule(r, u, targets, "USER") + "\n" for _ in range(r.randint(0, 3)))
        text += "COMMIT\n"
    return text


def random_packets(r):
    packets = []
    for _ in range(r.randint(3, 7)):
        origin = r.choice(["client", "client", "client", "server", "router"])
        source = {"client": r.choice(["10.1.0.2", "10.1.0.2", "10.1.0.7"]), "server": "10.2.0.2",
                  "router": r.choice(["10.1.0.1", "10.2.0.1"])}[origin]
        destination = r.choice({"client": ["10.2.0.2", "10.1.0.1", "10.2.0.1"], "server": ["10.1.0.2", "10.2.0.1"],
                                "router": ["10.2.0.2", "10.1.0.2"]}[origin])
        protocol = r.choice(["tcp", "tcp", "udp", "icmp"])
        packets.append(Packet(origin, protocol, source, destination, r.choice([40000, 40050, 1500]),
                              r.choice([22, 80, 53, 8080, 1500]), r.choice(["S", "S", "A", "SA", "R", "FA", "PA", "SF"]),
                              r.choice([8, 8, 0])))
    return packets


def some_address(text, r):
    """An address of `text` (an address or a network, maybe negated), or None; never one that
    would not leave its sender (loopback, 0.0.0.0/8) nor a network wider than /8."""
    try:
        network = ipaddress.ip_network(text.lstrip("!").strip(), strict=False)
    except ValueError:
        return None
    if network.version != 4 or network.prefixlen < 8 or network.network_address.is_loopback or \
            str(network.network_address).startswith("0."):
        return None
    return str(network.network_address + r.randrange(min(network.num_addresses, 250))) if network.num_addresses > 1 \
        else str(network.network_address)


def packets_from_rules(rules, r, count):
    """Packets biased to match the rules: each takes a random rule's addresses, protocol and
    ports, and comes from the client, the server or the router itself."""
    specs = [line for line in rules.splitlines() if line.startswith("-A ") or " -A " in line]
    packets = []
    for _ in range(count):
        spec = r.choice(specs) if specs else ""
        words = spec.split()
        value = lambda flag: words[words.index(flag) + 1] if flag in words and words.index(flag) + 1 < len(words) else None
        protocol = value("-p") if value("-p") in ("tcp", "udp", "icmp") else r.choice(["tcp", "udp", "icmp"])
        origin = r.choice(["client", "client", "server", "router"])
        if value("-i") in ("eth0", "eth1"):
            origin = "client" if value("-i") == "eth0" else "server"
        default_source = {"client": "10.1.0.2", "server": "10.2.0.2", "router": r.choice(["10.1.0.1", "10.2.0.1"])}
        source = (value("-s") and some_address(value("-s"), r)) or default_source[origin]
        destination = (value("-d") and some_address(value("-d"), r)) or r.choice(["10.1.0.1", "10.2.0.1", "10.2.0.2",
                                                                                  "198.51.100.9"])
        ports = [p for flag in ("--dport", "--destination-port", "--dports") if (v := value(flag))
                 for p in re.findall(r"\d+", v)]
        dport = int(ports[0]) if ports and int(ports[0]) < 65536 else r.choice([22, 53, 80, 443])
        if owner(destination) == origin or destination == source:
            continue  # it would not cross the router
        packets.append(Packet(origin, protocol, source, destination, r.choice([40000, 1024, 53]), dport,
                              r.choice(["S", "S", "A", "SA", "FA"]), r.choice([8, 8, 0])))
    return packets


def corpus_rulesets():
    for directory in corpora:
        if not os.path.isdir(directory):
            print(f"SKIP the corpus {directory}: not there")
            continue
        for path in sorted(glob.glob(os.path.join(directory, "**", "*.v4"), recursive=True)):
            yield path


tally = netns.Tally()
cases = 0
# With a state test conntrack is loaded and nat chains are called; without, neither.
for what, (rules, packets) in [("the LOG experiment", log_experiment("-m state --state NEW ")),
                               ("the LOG experiment without conntrack", log_experiment("")),
                               ("NAT flows", (NAT_RULES, NAT_PACKETS))]:
    cases += 1
    failures = run_case(what, rules, packets, lambda i: True)
    tally.check(not failures, "FAIL " + "\nFAIL ".join(failures))
rng = random.Random(seed)
not_applied = []
for path in corpus_rulesets():
    with open(path, encoding="utf-8", errors="replace") as f:
        rules = f.read()
    try:
        failures = run_case(path, rules, packets_from_rules(rules, rng, 8), lambda i: rng.random() < 0.5,
                            must_apply=False)
    except NotApplied:
        not_applied.append(os.path.basename(path))
        continue
    cases += 1
    tally.check(not failures, "FAIL " + "\nFAIL ".join(failures))
if not_applied:
    print(f"not applied (apply refuses them, as for the kernel): {len(not_applied)}: {' '.join(not_applied)}")
for n in range(count):
    cases += 1
    rules, packets = random_ruleset(rng), random_packets(rng)
    replies = rng.random()
    failures = run_case(f"random ruleset {n} (seed {seed})", rules, packets, lambda i, x=replies: rng.random() < x)
    tally.check(not failures, "FAIL " + "\nFAIL ".join(failures))
tally.finish("kernel_sim_differential",
             f"{cases} rulesets ({compared['packets']} packets, {compared['connections']} connections compared; "
             f"{compared['unsimulated']} cases cut short where sim said it cannot decide)")
