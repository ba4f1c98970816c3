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


_LOAD = re.compile(r"\[ (payload load|meta load|ct load|exthdr load|rt load|fib|numgen|socket load|osf) ")
_TEST = re.compile(r"\[ (cmp|bitwise|range|lookup) ")


def _canonical_tests(expressions):
    """Within each run of pure tests (a load, then bitwise/cmp/range/lookup) the order of the
    tests does not change the rule's meaning, nor does a test repeated: sort and dedupe them.
    Anything else (counter, limit, a verdict, ...) keeps its place and ends the run."""
    out, run, test = [], [], []

    def close_test():
        if test:
            run.append(tuple(test))
            test.clear()

    def close_run():
        close_test()
        for t in sorted(set(run)):
            out.extend(t)
        run.clear()

    for e in expressions:
        if _LOAD.match(e):
            close_test()
            test.append(e)
        elif _TEST.match(e) and test:
            test.append(e)
        else:
            close_run()
            out.append(e)
    close_run()
    return tuple(out)


def _ifname_compare(e):
    m = re.match(r"\[ cmp (\w+) reg (\d+) ((?:0x[0-9a-f]{8} ?)+)\]$", e)
    if not m:
        return e
    data = b"".join(int(w, 16).to_bytes(4, "little") for w in m.group(3).split())
    nul = data.find(b"\0")
    # Without a NUL the compare is a prefix: its length is the printed words' (padding unknown).
    name = data[: nul + 1] if nul >= 0 else data.rstrip(b"\0")
    return f"[ cmp {m.group(1)} reg {m.group(2)} ifname {name!r}{'' if nul >= 0 else ' prefix'} ]"


def _immediate_sets(expressions):
    """A value set from a register loaded just before (`immediate reg N v`, `meta set k with reg
    N`): which register carries it is the loader's choice (iptables-nft reg 9, nft reg 1)."""
    out = []
    for e in expressions:
        m = re.match(r"\[ (meta set \w+|ct set \w+) with reg (\d+) \]$", e)
        load = re.match(r"\[ immediate reg (\d+) (0x[0-9a-f]+) \]$", out[-1]) if out else None
        if m and load and load.group(1) == m.group(2):
            out[-1] = f"[ {m.group(1)} value {load.group(2)} ]"
        else:
            out.append(e)
    return out


def _normalise(family, expressions):
    out = []
    after_ifname = False
    for e in expressions:
        # An exact interface name compares its bytes up to the NUL, whatever the compare's
        # length (iptables-nft: the name and one NUL, nft: all 16 bytes); a wildcard compares
        # a prefix, without NUL. Keep the bytes up to and including the first NUL.
        if after_ifname and e.startswith("[ cmp "):
            e = _ifname_compare(e)
        after_ifname = bool(re.match(r"\[ meta load [io]ifname ", e))
        for pattern, repl in _SAME:
            e = pattern.sub(repl, e)
        if family == "ip" and e == _IP_PROTOCOL:
            e = _L4PROTO
        # A comment is rule user data for nft, a compat match for iptables-nft: not an expression.
        if e == "[ match name comment rev 0 ]" or e.startswith("userdata ="):
            continue
        out.append(e)
    # A range test is one `range` expression for iptables-nft, `cmp gte` then `cmp lte` for nft;
    # a range from 0 is one `cmp lte` for iptables-nft, and outside it one `cmp gt`.
    merged = []
    for e in out:
        low = re.match(r"\[ cmp gte reg (\d+) (.*) \]$", merged[-1]) if merged else None
        high = re.match(r"\[ cmp lte reg (\d+) (.*) \]$", e)
        above = re.match(r"\[ cmp gt reg (\d+) (.*) \]$", e)
        if low and high and low.group(1) == high.group(1):
            merged[-1] = f"[ range eq reg {low.group(1)} {low.group(2)} {high.group(2)} ]"
        elif high or above:
            m = high or above
            zeros = " ".join(["0x00000000"] * len(m.group(2).split()))
            merged.append(f"[ range {'eq' if high else 'neq'} reg {m.group(1)} {zeros} {m.group(2)} ]")
        else:
            merged.append(e)
    return _canonical_tests(_immediate_sets(merged))


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
