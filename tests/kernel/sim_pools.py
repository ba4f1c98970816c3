"""The random rulesets and packets of the sim tests, for the router of sim_topology: rules from
pools of matches and targets per table and chain, packets between client, server and router,
and packets made from a ruleset's own addresses, protocols and ports."""
import ipaddress
import re

import sim_topology as topo

ORIGINS = {"client": "in eth0 ", "server": "in eth1 ", "router": ""}


class Packet:
    """A packet as sim's words and as bytes; an ICMP error quotes `about`, (protocol, source,
    source port, destination, destination port) of the packet it is about."""

    def __init__(self, origin, protocol, source, destination, sport=0, dport=0, flags="S", icmp_type=8, icmp_code=0,
                 about=None):
        self.origin, self.protocol, self.source, self.destination = origin, protocol, source, destination
        self.sport, self.dport, self.flags, self.icmp_type = sport, dport, flags, icmp_type
        self.icmp_code, self.about = icmp_code, about

    def bytes(self):
        return topo.craft(self.protocol, self.source, self.destination, self.sport, self.dport, self.flags,
                          self.icmp_type, icmp_code=self.icmp_code, about=self.about)

    def description(self):
        words = ORIGINS[self.origin] + self.protocol
        if self.protocol in ("icmp", "icmpv6"):
            words += f" {self.source} > {self.destination} type {self.icmp_type}"
            if self.about:
                protocol, source, sport, destination, dport = self.about
                words += f" code {self.icmp_code} about {protocol} {with_port(source, sport)} > " \
                         f"{with_port(destination, dport)}"
        else:
            words += f" {with_port(self.source, self.sport)} > {with_port(self.destination, self.dport)}"
        if self.protocol == "tcp":
            words += f" flags {self.flags}"
        if self.origin == "router":
            words += f" mark {topo.TEST_MARK:#x}"
        return words


def with_port(address, port):
    """An address and port in sim's words: an IPv6 address in brackets."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def owner(address):
    if address in ("10.1.0.1", "10.2.0.1", "fd01::1", "fd02::1"):
        return "router"
    return "client" if address.startswith(("10.1.", "fd01:")) else "server"


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
    # In the filter table alone (a list or hashlimit is one table's set), one --seconds per list,
    # one setting per hashlimit name; refilled too slowly to gain a token while the packets pass.
    ("hashlimit", ("PREROUTING", "POSTROUTING", "FORWARD"), lambda r: "-m hashlimit " + r.choice([
        "--hashlimit-upto 1/hour --hashlimit-burst 3 --hashlimit-mode srcip --hashlimit-name H",
        "--hashlimit-above 1/hour --hashlimit-burst 2 --hashlimit-mode srcip,dstip --hashlimit-name K",
        "--hashlimit-upto 1/hour --hashlimit-burst 1 --hashlimit-mode dstip --hashlimit-dstmask 16 --hashlimit-name M"])),
    # In the filter table alone (a list is one table's set) and one --seconds per list.
    ("recent", ("PREROUTING", "POSTROUTING", "FORWARD"), lambda r: "-m recent " + r.choice([
        "--set --name A", "--rcheck --name A", "--update --name A --rdest", "! --rcheck --name A", "--set --name T",
        "--rcheck --seconds 30 --name T", "--update --seconds 30 --name T --rdest"])),
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


# The pools' IPv4 addresses and words and their IPv6 counterparts, in the order they are replaced
# (ranges and networks before the addresses they begin with).
IPV6_ADDRESSES = {"10.1.0.1": "fd01::1", "10.1.0.2": "fd01::2", "10.1.0.7": "fd01::7", "10.2.0.1": "fd02::1",
                  "10.2.0.2": "fd02::2"}
IPV6_WORDS = ([("10.1.0.1-10.1.0.5", "fd01::1-fd01::5"), ("10.2.0.2-10.2.0.9", "fd02::2-fd02::9"),
               ("10.1.0.0/24", "fd01::/64"), ("10.2.0.0/24", "fd02::/64"), ("10.0.0.0/8", "fd00::/8")] +
              list(IPV6_ADDRESSES.items()) +
              [("--icmp-type", "--icmpv6-type"), ("-p icmp", "-p ipv6-icmp"), ("-m ttl --ttl-", "-m hl --hl-")])


def as_ipv6(rules):
    """A random ruleset's IPv6 twin, for ip6tables: the same rules on the IPv6 addresses."""
    for ipv4, ipv6 in IPV6_WORDS:
        rules = rules.replace(ipv4, ipv6)
    return rules


def packet_as_ipv6(p):
    icmp = p.protocol == "icmp"
    return Packet(p.origin, "icmpv6" if icmp else p.protocol, IPV6_ADDRESSES[p.source], IPV6_ADDRESSES[p.destination],
                  p.sport, p.dport, p.flags, {8: 128, 0: 129}.get(p.icmp_type, p.icmp_type) if icmp else p.icmp_type)
