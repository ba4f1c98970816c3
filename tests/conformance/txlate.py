"""Conformance against netfilter's iptables-translate vectors: for each in-scope case, our `-c`
translation is compared with the expected line. Prints passed/total per file and overall.
Fails when ipt2nft crashes or refuses an in-scope case outright."""
import pathlib
import subprocess
import sys

tool, folder = sys.argv[1], pathlib.Path(sys.argv[2])
if not folder.is_dir():
    print(f"SKIP conformance_txlate: {folder} is not present (../shared is missing)")
    sys.exit(0)
in_scope = {"generic", "libxt_tcp", "libxt_udp", "libipt_icmp", "libip6t_icmp6", "libxt_multiport", "libxt_conntrack",
            "libxt_state", "libxt_comment", "libxt_mark", "libxt_connmark", "libxt_limit", "libxt_iprange", "libxt_addrtype",
            "libxt_mac", "libxt_owner", "libxt_pkttype", "libxt_length", "libipt_ttl", "libip6t_hl", "libxt_statistic",
            "libipt_REJECT", "libip6t_REJECT", "libipt_LOG", "libip6t_LOG", "libxt_NFLOG", "libxt_NFQUEUE",
            "libipt_MASQUERADE", "libip6t_MASQUERADE", "libipt_SNAT", "libip6t_SNAT", "libxt_DNAT", "libxt_REDIRECT",
            "libxt_MARK", "libxt_CONNMARK", "libxt_NOTRACK", "libxt_CT", "libxt_TCPMSS", "libxt_CLASSIFY", "libxt_DSCP",
            "libxt_TOS", "libxt_TRACE"}
total = passed = crashed = refused = 0
for f in sorted(folder.glob("*.txlate")):
    if f.stem not in in_scope:
        continue
    lines = f.read_text().splitlines()
    file_total = file_passed = 0
    for i, line in enumerate(lines):
        if not (line.startswith("iptables-translate ") or line.startswith("ip6tables-translate ")):
            continue
        expected = lines[i + 1] if i + 1 < len(lines) else ""
        command = line.replace("iptables-translate", "iptables", 1).replace("ip6tables-translate", "ip6tables", 1)
        if "-A INPUT" not in command and " -I " not in command and " -A " not in command:
            pass
        r = subprocess.run([tool, "translate", "-c", command], capture_output=True, text=True)
        file_total += 1
        if r.returncode >= 3:
            crashed += 1
            print(f"CRASH {f.name}: {command}")
        got = r.stdout.strip()
        if got == expected.strip():
            file_passed += 1
        else:
            if r.returncode != 0:
                refused += 1
            print(f"MISMATCH {f.name}: {command}\n  expected: {expected}\n  ipt2nft:  {got or r.stderr.strip().splitlines()[0] if r.stderr.strip() else got}")
    total += file_total
    passed += file_passed
    print(f"{f.name}: {file_passed}/{file_total}")
print(f"conformance_txlate: {passed} passed, {total - passed} failed (of which {refused} refused)")
sys.exit(1 if crashed else 0)
