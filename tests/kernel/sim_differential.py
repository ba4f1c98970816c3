"""`ipt2nft sim` against the kernel, packet by packet. In three namespaces (sim_topology) the
router loads a ruleset with `ipt2nft apply`; crafted packets cross it one at a time and the
kernel's trace records, for each, the chains entered in order, the rules that matched (by
handle) and the verdict; the conntrack table is read at the end. `ipt2nft sim`, given the same
rules, the router's interfaces and the same packets in the same order, must agree on all of it:
the chains, each matching rule's position, the verdict, and every connection's tuples (NAT).
Cases: the LOG experiment (every chain of every table, for a packet forwarded, one to the router
and one from it), NAT flows, ICMP errors about them (related, their quotes NATed back) and about
nothing (invalid), and random rulesets from a pool made for this topology with random
flows (requests, and replies to the tuple the kernel's conntrack expects), a quarter of them
for ip6tables on the IPv6 addresses; and every IPv4 save
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
from sim_pools import (Packet, as_ipv6, owner, packet_as_ipv6, packets_from_rules, random_packets, random_ruleset,
                       with_port)

tool = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261205
corpora = sys.argv[4:]
netns.require_root("kernel_sim_differential")

TRACE_LINE = re.compile(r"^trace id (\w+) ip6? (\S+) (\S+) (.*)$")
RULE = re.compile(r"^rule .* # handle (\d+) \(verdict (\w+)")



def handles(router):
    """(table, chain) → the handles of its rules in order, from the router's listing."""
    listing = topo.run_in(router, ["nft", "-a", "list", "ruleset"]).stdout
    out, table, chain = {}, None, None
    for line in listing.splitlines():
        if m := re.match(r"^table ip6? (\S+) \{", line):
            table, chain = m.group(1), None  # a table's objects (ct helpers) come before its chains
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
    """Each connection of the router's table as its two tuples in sim's words."""
    out = set()
    for line in topo.run_in(router, ["cat", "/proc/net/nf_conntrack"]).stdout.splitlines():
        if not line.startswith(("ipv4 ", "ipv6 ")):
            continue
        protocol = line.split()[2]
        src, dst = [[ipaddress.ip_address(a).compressed for a in re.findall(rf"{k}=(\S+)", line)]
                    for k in ("src", "dst")]
        sport, dport = re.findall(r"sport=(\d+)", line), re.findall(r"dport=(\d+)", line)
        tuples = []
        for d in range(2):
            if protocol in ("tcp", "udp"):
                tuples.append(f"{protocol} {with_port(src[d], sport[d])} > {with_port(dst[d], dport[d])}")
            else:
                tuples.append(f"{protocol} {src[d]} > {dst[d]}")
        out.add(tuple(tuples))
    return out


def split_port(word):
    """An address and port in sim's words, apart."""
    address, port = word.rsplit(":", 1)
    return address.strip("[]"), int(port)


def reply_to(router, packet):
    """The reply the router's conntrack expects to `packet`, from whoever owns its source."""
    for original, reply in kernel_connections(router):
        if original == packet_tuple(packet):
            words = reply.split()
            protocol = packet.protocol
            if protocol in ("icmp", "icmpv6"):
                source, destination = words[1], words[3]
                if owner(source) == owner(destination):
                    return None  # a reply that would not cross the router (hairpin NAT)
                return Packet(owner(source), protocol, source, destination, icmp_type=0 if protocol == "icmp" else 129)
            (s, sp), (d, dp) = split_port(words[1]), split_port(words[3])
            if owner(s) == owner(d):
                return None
            return Packet(owner(s), protocol, s, d, sp, dp, "SA" if packet.flags == "S" else "A")
    return None


def packet_tuple(p):
    if p.protocol in ("icmp", "icmpv6"):
        return f"{p.protocol} {p.source} > {p.destination}"
    return f"{p.protocol} {with_port(p.source, p.sport)} > {with_port(p.destination, p.dport)}"


class NotApplied(Exception):
    """apply refuses the ruleset: a corpus file may hold what the kernel cannot run."""


def run_case(what, rules, packets, flows_reply=None, must_apply=True):
    """Applies `rules` in the router, sends the packets (with `flows_reply(i)` true, the reply to
    packet i after it), and compares with sim. A list of failures, empty when all agree."""
    family = 6 if ":" in packets[0].source else 4
    family_option = "-4" if family == 4 else "-6"
    with topo.topology() as t, tempfile.NamedTemporaryFile("w", suffix=f".v{family}") as f:
        f.write(rules)
        f.flush()
        # The trace table first: from then on the router's own packets (its IPv6 multicast listener
        # reports, sent a while after its links came up) are dropped before the rules see them,
        # where they would count in an nth match or a rate limit.
        traced = topo.run_in(t.router, ["nft", "-f", "-"], topo.trace_table(family))
        if traced.returncode != 0:
            return [f"{what}: the trace table does not load: {traced.stderr}"]
        applied = subprocess.run([tool, "apply", family_option, "--netns", t.router, f.name], capture_output=True,
                                 text=True)
        if applied.returncode != 0:
            if not must_apply:
                raise NotApplied()
            return [f"{what}: apply failed: {applied.stderr}"]
        positions = handles(t.router)
        monitor = topo.Monitor(t.router)
        try:
            here = topo.ADDRESSES[family]
            if not any(t.send(monitor, t.client, topo.craft("udp", here["client"], here["eth0"], 1, topo.SENTINEL_PORT),
                              here["client"]) is not None for _ in range(50)):
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
        args = [tool, "sim", family_option, f.name, "--format=json"] + topo.ROUTER_HOST
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
        # A drop by routing (a martian source, no route) is no event of the trace, which ends as
        # the packet's last chain did.
        traced = "accept" if s["end"].startswith("dropped: ") else s["verdict"]
        if visits != sim_visits(s) or verdict != traced:
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

# ICMP errors through the NAT flows' rules, with no replies in between: about a masqueraded UDP
# packet (related, its quote and the router's address put back as the client's), about a DNATed
# TCP one (related, the outer source put back as the router's address), about no connection
# (invalid: dropped), and about a packet the router sent itself (related, to input).
ICMP_ERROR_PACKETS = [
    Packet("client", "udp", "10.1.0.2", "10.2.0.2", 40001, 53),
    Packet("server", "icmp", "10.2.0.2", "10.2.0.1", icmp_type=3, icmp_code=3,
           about=("udp", "10.2.0.1", 40001, "10.2.0.2", 53)),
    Packet("client", "tcp", "10.1.0.2", "10.1.0.1", 40000, 8080),
    Packet("server", "icmp", "10.2.0.2", "10.1.0.2", icmp_type=3, icmp_code=1,
           about=("tcp", "10.1.0.2", 40000, "10.2.0.2", 80)),
    Packet("server", "icmp", "10.2.0.2", "10.1.0.2", icmp_type=3, icmp_code=3,
           about=("udp", "10.1.0.2", 1234, "10.2.0.2", 99)),
    Packet("router", "udp", "10.2.0.1", "10.2.0.2", 40002, 53),
    Packet("server", "icmp", "10.2.0.2", "10.2.0.1", icmp_type=11, icmp_code=0,
           about=("udp", "10.2.0.1", 40002, "10.2.0.2", 53)),
]


# The same for IPv6: the LOG experiment's packets, NAT66 flows with their ICMPv6 errors (destination
# unreachable about a masqueraded UDP packet, packet too big about a DNATed TCP one, one about no
# connection, time exceeded about the router's own), and neighbour discovery, which conntrack
# leaves untracked: an established,related rule does not let it in.
LOG_PACKETS6 = [Packet("client", "tcp", "fd01::2", "fd02::2", 40000, 80),
                Packet("client", "udp", "fd01::2", "fd01::1", 40001, 53),
                Packet("router", "udp", "fd02::1", "fd02::2", 40002, 53)]
NAT_RULES6 = (NAT_RULES.replace("10.2.0.2:80", "[fd02::2]:80").replace("-d 10.2.0.2", "-d fd02::2")
              .replace("-j REJECT", "-j REJECT --reject-with icmp6-port-unreachable"))
NAT_PACKETS6 = [
    Packet("client", "tcp", "fd01::2", "fd01::1", 40000, 8080),
    Packet("server", "icmpv6", "fd02::2", "fd01::2", icmp_type=2, about=("tcp", "fd01::2", 40000, "fd02::2", 80)),
    Packet("client", "udp", "fd01::2", "fd02::2", 40001, 53),
    Packet("server", "icmpv6", "fd02::2", "fd02::1", icmp_type=1, icmp_code=4,
           about=("udp", "fd02::1", 40001, "fd02::2", 53)),
    Packet("client", "udp", "fd01::2", "fd01::1", 40002, 5353),
    Packet("client", "tcp", "fd01::2", "fd02::2", 40003, 22),
    Packet("server", "icmpv6", "fd02::2", "fd01::2", icmp_type=1, icmp_code=4,
           about=("udp", "fd01::2", 1234, "fd02::2", 99)),
    Packet("router", "udp", "fd02::1", "fd02::2", 40004, 53),
    Packet("server", "icmpv6", "fd02::2", "fd02::1", icmp_type=3, about=("udp", "fd02::1", 40004, "fd02::2", 53)),
]
ND_RULES6 = """*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT
COMMIT
"""
ND_PACKETS6 = [Packet("client", "icmpv6", "fd01::2", "fd01::1", icmp_type=135),
               Packet("client", "icmpv6", "fd01::2", "fd01::1", icmp_type=128),
               Packet("client", "icmpv6", "fd01::2", "fd01::1", icmp_type=136),
               Packet("client", "icmpv6", "fd01::2", "fd02::2", icmp_type=135)]


# Stateful matches whose state runs out within the case: a rate limit of a burst of three and
# then one packet an hour, a bucket per source and port that lets four by, an nth counter, each
# packet a new connection to the router.
STATE_RULES = """*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p udp -m statistic --mode nth --every 3 --packet 1 -j LOG
-A INPUT -p udp -m hashlimit --hashlimit-above 1/hour --hashlimit-burst 4 --hashlimit-mode srcip,dstport --hashlimit-name hl -j DROP
-A INPUT -p udp -m limit --limit 1/hour --limit-burst 3 -j ACCEPT
-A INPUT -p udp -j DROP
COMMIT
"""
STATE_PACKETS = [Packet("client", "udp", "10.1.0.2", "10.1.0.1", 41000 + i, 53) for i in range(6)]


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
                               ("NAT flows", (NAT_RULES, NAT_PACKETS)),
                               ("ICMP errors", (NAT_RULES, ICMP_ERROR_PACKETS)),
                               ("the IPv6 LOG experiment", (log_experiment("-m state --state NEW ")[0], LOG_PACKETS6)),
                               ("IPv6 NAT flows and ICMPv6 errors", (NAT_RULES6, NAT_PACKETS6)),
                               ("IPv6 neighbour discovery", (ND_RULES6, ND_PACKETS6)),
                               ("rate limits and an nth counter run out", (STATE_RULES, STATE_PACKETS))]:
    cases += 1
    # Replies would come between an error and what it is about, and would answer the errors.
    failures = run_case(what, rules, packets, lambda i, errors="rror" in what or "IPv6" in what: not errors)
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
    if n % 4 == 3:  # a quarter of them for ip6tables
        rules, packets = as_ipv6(rules), [packet_as_ipv6(p) for p in packets]
    replies = rng.random()
    failures = run_case(f"random ruleset {n} (seed {seed})", rules, packets, lambda i, x=replies: rng.random() < x)
    tally.check(not failures, "FAIL " + "\nFAIL ".join(failures))
tally.finish("kernel_sim_differential",
             f"{cases} rulesets ({compared['packets']} packets, {compared['connections']} connections compared; "
             f"{compared['unsimulated']} cases cut short where sim said it cannot decide)")
