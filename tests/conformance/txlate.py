"""Conformance against netfilter's iptables-translate vectors (../shared/conformance/txlate).

For each iptables and ip6tables case, `ipt2nft translate -c` is compared with the expected line
(or lines: a set's, then the rule's).
When the text differs the case is judged by the kernel, in throwaway namespaces:
- ipt2nft refused the command: passes when iptables-nft refuses it too, or when ipt2nft said why
  nft cannot express it or it does not translate it (`untranslatable`): the reasons are printed;
- both translated: passes when the kernel holds the same expressions for both rules;
- otherwise it passes only if the expected line is listed below as wrong, with the reason.
Prints passed/total per file and overall; fails on any other case."""
import itertools
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "kernel"))
import bytecode  # noqa: E402
import netns  # noqa: E402

tool, folder = sys.argv[1], pathlib.Path(sys.argv[2])
if not folder.is_dir():
    print(f"SKIP conformance_txlate: {folder} is not present (../shared is missing)")
    sys.exit(0)
netns.require_root("conformance_txlate")


# Expected lines that do not mean what the iptables rule means in the kernel, and whether
# ipt2nft refuses the rule (True), translates it differently (False), or either (None).
WRONG = [
    (r"--sport 0:65535 -j ACCEPT$", False,
     "`meta l4proto` also matches non-first fragments; the iptables port match does not"),
    (r"--icmp-type any", False, "`ip protocol icmp` also matches non-first fragments; the icmp match does not"),
    (r"CONNMARK --set-xmark 0x16/0x12$", False,
     "xt_CONNMARK clears the mask's bits, then xors; xor-then-and loses the value's bits 0x12"),
    (r"CONNMARK --set-mark 0x23/0x42 --right-shift-mark 5$", False,
     "xt_CONNMARK clears the mask's bits, then xors, then shifts; xor-then-and loses the value's bits 0x23"),
    (r"--to-destination \[fec0::1234-fec0::2000\]:1-20", False,
     "nft cannot read `[a-b]:ports` (a syntax error in nft 1.0.6); it writes and reads `[a]-[b]:ports`"),
    (r"-m owner ! --uid-owner \d+ -j", True,
     "xt_owner also matches packets without a socket (the kernel's own TCP resets and ICMP errors) when every test is "
     "negated; `skuid != ID` matches none of them (seen: tests/kernel/packet_counts.py)"),
    (r"-p tcp ! --tcp-option \d+$", False,
     "nft tests no protocol before a TCP option: `tcp option N missing` alone matches every UDP packet, where the "
     "tcp match needs TCP (seen: tests/kernel/packet_counts.py)"),
    (r"--ctexpire \d+ ", False,
     "xt_conntrack compares the whole seconds left (N is N000 to N999 ms); `ct expiration N` is N000 ms exactly "
     "(seen: tests/kernel/packet_counts.py)"),
    (r"-m (esp|ah) --(esp|ah)spi 0:4294967295", False,
     "`meta l4proto esp`/`ah` (and `exthdr ah exists`, not nft syntax) also match non-first fragments; xt_esp and "
     "xt_ah do not"),
    (r"-m ah .*--ahlen 120", False,
     "ip6t_ah compares --ahlen with the header's length in bytes, (hdrlength + 2) * 4: 120 is `ah hdrlength 28`"),
    (r"-m ah .*--ahres", False, "ip6t_ah's --ahres requires the reserved bits to be zero, not one"),
    (r"devgroup ! --src-group 0x2 --dst-group", False,
     "only --src-group is negated (iptables-nft -S lists the rule back so); the expected line negates both"),
    (r"-m helper", True,
     "xt_helper tests the helper of the connection's master (an FTP data connection matches --helper ftp); "
     "`ct helper` tests the connection's own helper"),
    (r"-m time .*--date(start|stop)", False,
     "xt_time compares whole seconds (stamp > date_stop), so a date range's last second matches through; "
     "the expected range ends at that second's first nanosecond"),
    (r"-m frag .*--fragres", False,
     "ip6t_frag's --fragres requires the reserved fields (the byte and the offset word's two bits) to be zero, "
     "not one"),
    (r"-m (hbh|rt) .*--(hbh|rt)-len 22", None,
     "ip6t_hbh and ip6t_rt compare the length in bytes, (hdrlength + 1) * 8 as ipv6_optlen counts it: no header is "
     "22 bytes long (seen: tests/kernel/packet_counts.py, --rt-len 24 is `rt hdrlength 2`)"),
    (r"-m rt ! --rt-segsleft 0:4294967295", False,
     "segments left is one byte: nft refuses 4294967295 (\"exceeds valid range 0-255\"), and 0-255 is every value"),
    (r"-p sctp -m sctp -j DROP$", False,
     "`meta l4proto sctp` also matches non-first fragments; xt_sctp does not"),
    (r"-j TPROXY", False,
     "xt_TPROXY drops a packet no transparent socket takes; nft's tproxy stops the rule and the chain goes on: a "
     "second rule of the same tests drops (seen: tests/kernel/transparent_proxy.py)"),
    (r"-j TOS --", None, "TOS sets the whole byte, ECN bits included; `dscp set` leaves the ECN bits as they were, and "
     "nft 1.0.6 refuses `dscp set dscp and ...`"),
]


def family_of(command):
    return "ip6" if command.startswith("ip6tables") else "ip"


def commands_of(text):
    """The nft commands of `nft '...'` lines (a set, then the rule that adds to it)."""
    return [line.strip()[5:-1] for line in text.splitlines()]


def kernel_rules(ns, setup, commands):
    """The expressions the kernel holds for a rule, its commands loaded after `setup` ones."""
    for c in setup:
        netns.run(ns, ["nft", c])
    if any(netns.run(ns, ["nft", c]).returncode != 0 for c in commands):
        return None
    return bytecode.rules(ns)


def table_and_chain(command):
    table = re.search(r"-t (\w+)", command)
    chain = re.search(r"-[AI] (\S+)", command)
    return (table.group(1) if table else "filter"), (chain.group(1) if chain else "INPUT")


def iptables_accepts(ns, command):
    binary = "ip6tables-nft" if command.startswith("ip6tables") else "iptables-nft"
    table, chain = table_and_chain(command)
    netns.run(ns, [binary, "-t", table, "-N", chain])  # lower-case chains in the vectors are user chains
    args = command.split(" ", 1)[1]
    return subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", f"{binary} {args}"], capture_output=True).returncode == 0


totals = {"text": 0, "kernel": 0, "both_refuse": 0, "wrong_expected": 0, "untranslatable": 0, "failed": 0, "loaded": 0,
          "no_module": 0}
refusals = {}  # ipt2nft's reason -> how many cases


def loads(command, commands):
    """Whether the kernel takes ipt2nft's nft commands (in its own namespace)."""
    fam = family_of(command)
    table, chain = table_and_chain(command)
    with netns.namespace() as ns:
        for c in (f"add table {fam} {table}", f"add chain {fam} {table} {chain}"):
            netns.run(ns, ["nft", c])
        for c in commands:
            r = netns.run(ns, ["nft", c])
            if r.returncode != 0:
                break
    # This kernel may lack a module (nfnetlink_queue): nft then says "No such file or directory".
    if r.returncode != 0 and "No such file or directory" in r.stderr:
        return None
    return r.returncode == 0

total = 0
for f in sorted(folder.glob("*.txlate")):
    lines = f.read_text().splitlines()
    file_total = file_passed = 0
    for i, line in enumerate(lines):
        if not (line.startswith("iptables-translate ") or line.startswith("ip6tables-translate ")):
            continue
        # The expected line, or lines: a set's, then the rule's.
        following = lines[i + 1:]
        expected = following[0].strip() if following else ""
        if expected.startswith("nft '"):
            expected = "\n".join(line.strip() for line in itertools.takewhile(lambda l: l.startswith("nft '"),
                                                                                following))
        command = re.sub(r"^(ip6?tables)-translate", r"\1", line)
        ours = subprocess.run([tool, "translate", "-c", command], capture_output=True, text=True)
        if ours.returncode >= 3:
            print(f"CRASH {f.name}: {command}")
            sys.exit(1)
        file_total += 1
        got = ours.stdout.strip()
        verdict = None
        if got == expected:
            verdict = "text"
        elif any(re.search(p, command) and refused in (None, ours.returncode != 0) for p, refused, _ in WRONG):
            verdict = "wrong_expected"
        elif ours.returncode != 0:
            with netns.namespace() as ns:
                if not iptables_accepts(ns, command):
                    verdict = "both_refuse"
            reason = re.search(r"error: cannot translate .*?: (.*) \(--allow-untranslated", ours.stderr)
            if not verdict and reason:
                verdict = "untranslatable"
                refusals[reason.group(1)] = refusals.get(reason.group(1), 0) + 1
        elif expected.startswith("nft '") and got.startswith("nft '"):
            fam = family_of(command)
            table, chain = table_and_chain(command)
            setup = [f"add table {fam} {table}", f"add chain {fam} {table} {chain}"]
            with netns.namespace() as a, netns.namespace() as b:
                theirs = kernel_rules(a, setup, commands_of(expected))
                mine = kernel_rules(b, setup, commands_of(got))
            if mine is not None and mine == theirs:
                verdict = "kernel"
        if verdict and ours.returncode == 0 and got.startswith("nft '"):
            # Every translation must also load: text equal to the vector is not enough.
            accepted = loads(command, commands_of(got))
            if accepted is None:
                totals["no_module"] += 1
            elif accepted:
                totals["loaded"] += 1
            else:
                verdict = None
                print(f"FAIL {f.name}: nft refuses ipt2nft's translation: {got}")
        if verdict:
            totals[verdict] += 1
            file_passed += 1
        else:
            totals["failed"] += 1
            first = ours.stderr.strip().splitlines()[0] if ours.stderr.strip() else ""
            print(f"FAIL {f.name}: {command}\n  expected: {expected}\n  ipt2nft:  {got or first}")
    total += file_total
    if file_total:
        print(f"{f.name}: {file_passed}/{file_total}")
for pattern, _, reason in WRONG:
    print(f"expected line judged wrong where the command matches /{pattern}/: {reason}")
for reason, n in sorted(refusals.items(), key=lambda r: -r[1]):
    print(f"refused by ipt2nft ({n}): {reason}")
passed = total - totals["failed"]
print(f"conformance_txlate: {passed} passed, {totals['failed']} failed of {total} cases "
      f"(same text {totals['text']}, same in the kernel {totals['kernel']}, refused by iptables-nft too "
      f"{totals['both_refuse']}, expected line wrong {totals['wrong_expected']}, refused by ipt2nft with its reason "
      f"{totals['untranslatable']}); translated {totals['loaded'] + totals['no_module']}: loaded by the kernel "
      f"{totals['loaded']}, not loadable for a module this kernel lacks {totals['no_module']}")
sys.exit(1 if totals["failed"] else 0)
