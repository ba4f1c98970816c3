"""Rules as the kernel holds them: `nft --debug=netlink list ruleset` parsed into, per chain,
the expression list of each rule, normalised where two spellings are the same operation."""
import re

import netns

# Equal operations the kernel may hold in two forms.
_SAME = [
    (re.compile(r"\[ counter pkts \d+ bytes \d+ \]"), "[ counter ]"),
    (re.compile(r"ct load (src|dst)_ip6? "), r"ct load \1 "),
    (re.compile(r"__set\d+"), "__set"),
]
# In the ip family, the protocol byte of the IPv4 header is what meta l4proto loads.
_IP_PROTOCOL = "[ payload load 1b @ network header + 9 => reg 1 ]"
_L4PROTO = "[ meta load l4proto => reg 1 ]"
COMPAT = re.compile(r"\[ (match|target) name (\S+) rev \d+ \]")


def _normalise(family, expressions):
    out = []
    after_ifname = False
    for e in expressions:
        # An interface name compares equal on its bytes up to the NUL whatever the compare's
        # length (iptables-nft compares the name and one NUL, nft all 16 bytes): drop zero words.
        if after_ifname and e.startswith("[ cmp "):
            e = re.sub(r"( 0x00000000)+ \]$", " ]", e)
        after_ifname = bool(re.match(r"\[ meta load [io]ifname ", e))
        for pattern, repl in _SAME:
            e = pattern.sub(repl, e)
        if family == "ip" and e == _IP_PROTOCOL:
            e = _L4PROTO
        # A comment is rule user data for nft, a compat match for iptables-nft: not an expression.
        if e == "[ match name comment rev 0 ]":
            continue
        out.append(e)
    return tuple(out)


def rules(ns):
    """{(family, table, chain): [tuple of expressions, ...]} in rule order."""
    text = netns.run(ns, ["nft", "--debug=netlink", "list", "ruleset"]).stdout
    sets, chains = {}, {}
    block, header = [], None

    def flush():
        if header is None:
            return
        parts = header.split()
        if len(parts) >= 3 and parts[2].startswith("@"):
            sets.setdefault(parts[2][1:], []).extend(block)
        elif len(parts) >= 3:
            chains.setdefault((parts[0], parts[1], parts[2]), []).append(list(block))

    # A header line ("ip filter INPUT 5", "ip filter @__set0") starts each block; its
    # expressions or set elements follow, indented.
    for line in text.splitlines():
        if line.startswith("table ") or line.startswith("# Warning"):
            break
        if not line.strip():
            continue
        if not line[0].isspace():
            flush()
            block, header = [], line.strip()
        else:
            block.append(line.strip())
    flush()
    result = {}
    for key, rule_list in chains.items():
        normalised = []
        for exprs in rule_list:
            # Put the elements of an anonymous set where the rule looks it up.
            expanded = []
            for e in exprs:
                m = re.search(r"set (__set\d+)", e)
                expanded.append(e + (" {" + " ".join(sorted(sets.get(m.group(1), []))) + "}" if m else ""))
            normalised.append(_normalise(key[0], expanded))
        result[key] = normalised
    return result


def compat_modules(expressions):
    return [m.group(2) for e in expressions for m in [COMPAT.search(e)] if m]
