"""User chain names against nft's grammar: for every candidate name (nft's keywords, odd
characters, real-world names), ipt2nft writes a script nft loads, the name kept or, where nft's
syntax cannot hold it, renamed with a [chain-renamed] warning; it never writes a script nft
cannot read, and renames only what nft refuses (a needless rename is counted and shown)."""
import subprocess
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_reserved_names")
names = [
    "eq", "ne", "le", "lt", "ge", "gt", "lshift", "rshift", "xor", "and", "or", "not", "vmap", "include",
    "define", "redefine", "undefine", "describe", "chains", "sets", "tables", "rules", "trace", "hook",
    "device", "devices", "table", "chain", "rule", "set", "element", "map", "flowtable", "handle", "ruleset",
    "socket", "transparent", "wildcard", "cgroupv2", "level", "tproxy", "accept", "drop", "continue", "jump",
    "goto", "return", "to", "inet", "netdev", "add", "replace", "update", "create", "insert", "delete",
    "get", "list", "reset", "flush", "rename", "import", "export", "monitor", "destroy", "position", "index",
    "comment", "constant", "interval", "dynamic", "auto-merge", "timeout", "gc-interval", "elements",
    "expires", "policy", "size", "performance", "memory", "flow", "offload", "meter", "meters", "flowtables",
    "limits", "maps", "secmarks", "synproxys", "tunnel", "tunnels", "hooks", "counter", "name", "packets",
    "bytes", "last", "never", "counters", "quotas", "log", "prefix", "snaplen", "queue-threshold", "group",
    "queue", "num", "bypass", "fanout", "limit", "rate", "burst", "second", "minute", "week", "over",
    "quota", "until", "used", "hour", "day", "reject", "with", "icmpx", "snat", "dnat", "masquerade",
    "redirect", "random", "fully-random", "persistent", "port", "ll", "nh", "th", "bridge", "ether", "saddr",
    "daddr", "type", "typeof", "vlan", "id", "cfi", "dei", "pcp", "arp", "htype", "ptype", "hlen", "plen",
    "operation", "ip", "version", "hdrlength", "dscp", "ecn", "length", "frag-off", "ttl", "protocol",
    "checksum", "lsrr", "rr", "ssrr", "ra", "ptr", "value", "option", "options", "ackseq", "doff", "window",
    "urgptr", "echo", "eol", "maxseg", "mss", "nop", "noop", "sack", "sack0", "sack1", "sack2", "sack3",
    "sack-permitted", "sack-perm", "timestamp", "fastopen", "mptcp", "md5sig", "left", "right", "count",
    "tsval", "tsecr", "subtype", "time", "icmp", "icmpv6", "gateway", "code", "param-problem", "max-delay",
    "mtu", "taddr", "sequence", "igmp", "mrt", "ip6", "priority", "flowlabel", "hoplimit", "nexthdr", "ah",
    "reserved", "spi", "esp", "comp", "cpi", "flags", "udp", "udplite", "csumcov", "sport", "dport", "vxlan",
    "vni", "geneve", "gre", "gretap", "tcp", "dccp", "sctp", "chunk", "vtag", "data", "init", "init-ack",
    "heartbeat", "heartbeat-ack", "abort", "shutdown", "shutdown-ack", "error", "cookie-echo", "cookie-ack",
    "ecne", "cwr", "shutdown-complete", "asconf-ack", "forward-tsn", "asconf", "tsn", "stream", "ssn",
    "ppid", "init-tag", "rt", "rt0", "rt2", "srh", "addr", "hbh", "frag", "reserved2", "more-fragments",
    "dst", "mh", "meta", "mark", "iif", "iifname", "iiftype", "oif", "oifname", "oiftype", "skuid", "skgid",
    "nftrace", "rtclassid", "ibriport", "ibrname", "obriport", "obrname", "pkttype", "cpu", "iifgroup",
    "oifgroup", "cgroup", "nexthop", "seg-left", "last-entry", "tag", "sid", "classid", "ct", "avgpkt",
    "l3proto", "proto-src", "proto-dst", "zone", "original", "reply", "direction", "event", "expectation",
    "expiration", "helper", "helpers", "label", "state", "status", "numgen", "inc", "jhash", "symhash",
    "seed", "mod", "offset", "dup", "fwd", "fib", "check", "osf", "synproxy", "wscale", "notrack", "all",
    "xml", "json", "vm", "exists", "missing", "exthdr", "ipsec", "reqid", "spnum", "in", "out", "secmark",
    "xt", "1abc", "a:b", "x+y", "foo.bar", "_x", "A-B/c", "DOCKER-USER", "KUBE-SVC-ABCDEF", "f2b-sshd",
    "ufw-before-input",
]
broken = renamed_needlessly = written = renamed = 0
with netns.namespace() as ns:
    for name in names:
        text = f"*filter\n:{name} - [0:0]\n-A INPUT -j {name}\nCOMMIT\n"
        ours = subprocess.run([tool, "translate", "-4", "-"], input=text, capture_output=True, text=True)
        if ours.returncode != 0:
            broken += 1
            print(f"UNEXPECTED for {name!r}: {ours.stderr.strip()[:200]}")
            continue
        load = netns.run(ns, ["nft", "-f", "-"], stdin=ours.stdout)
        if load.returncode != 0:
            broken += 1
            print(f"BROKEN chain name {name!r}: nft refused our script: {load.stderr.strip()[:200]}")
        written += 1
        if "[chain-renamed]" in ours.stderr:
            renamed += 1
            probe = netns.run(ns, ["nft", "-f", "-"], stdin=f"table ip probe {{ chain {name} {{ }} }}\ndelete table ip probe\n")
            if probe.returncode == 0:
                renamed_needlessly += 1
                print(f"NOTE chain name {name!r} renamed by ipt2nft but accepted by this nft")
print(f"kernel_reserved_names: {written} written and loaded, {renamed} of them renamed ({renamed_needlessly} "
      f"needlessly); {len(names) - broken} passed, {broken} failed")
sys.exit(1 if broken else 0)
