"""Differential test: the original loaded by iptables-nft-restore in one namespace, our
translation loaded by `nft -f` in another; `nft list ruleset` compared rule by rule.

It fails when ipt2nft crashes or nft refuses a translation; text differences are printed and
counted, since equal meaning is often listed differently (set merging, `meta l4proto` versus
`ip protocol`, iptables expanding `-s a,b` into two rules).

Rules iptables-nft could only load through its compat layer (`xt match`/`xt target` in the
listing) are counted apart: that listing is the incumbent's rendering, not kernel truth."""
import pathlib
import re
import subprocess
import sys

import netns

tool = sys.argv[1]
dirs = [pathlib.Path(d) for d in sys.argv[2:]]
netns.require_root("kernel_differential")


def chains(listing):
    """{(family, table, chain): [normalised rule, ...]}"""
    out, key = {}, None
    table = None
    for line in listing.splitlines():
        s = line.strip()
        m = re.match(r"table (\w+) (\S+) \{", s)
        if m:
            table = (m.group(1), m.group(2))
            continue
        m = re.match(r"chain (\S+) \{", s)
        if m:
            key = table + (m.group(1),)
            out[key] = []
            continue
        if not s or s == "}" or s.startswith("type ") or s.startswith("#") or key is None:
            continue
        s = re.sub(r"counter packets \d+ bytes \d+", "counter", s)
        out[key].append(s)
    return out


own_rejected = []
totals = {"files": 0, "restore_refused": 0, "rules": 0, "same": 0, "compat": 0, "different": 0}
own_corpus_differences = 0
for d in dirs:
    if not d.is_dir():
        print(f"NOTE {d} is not present: that part is skipped")
        continue
    for f in sorted(list(d.rglob("*.v4")) + list(d.rglob("*.v6"))):
        v6 = f.suffix == ".v6"
        text = f.read_bytes()
        with netns.namespace() as a, netns.namespace() as b:
            restore = subprocess.run(["ip", "netns", "exec", a, "ip6tables-nft-restore" if v6 else "iptables-nft-restore"],
                                     input=text, capture_output=True)
            if restore.returncode != 0:
                totals["restore_refused"] += 1
                continue
            ours = subprocess.run([tool, "translate", "-6" if v6 else "-4", str(f)], capture_output=True, text=True)
            if ours.returncode == 3 or ours.returncode > 128:
                print(f"FAIL {f}: ipt2nft crashed ({ours.returncode})")
                sys.exit(1)
            totals["files"] += 1
            if ours.returncode != 0:
                own_rejected.append((f, ours.stderr.splitlines()[:3]))
                continue
            load = netns.run(b, ["nft", "-f", "-"], stdin=ours.stdout)
            if load.returncode != 0:
                print(f"FAIL {f}: nft -f refused our translation: {load.stderr.strip()[:400]}")
                own_corpus_differences += 1
                continue
            theirs = chains(netns.run(a, ["nft", "list", "ruleset"]).stdout)
            mine = chains(netns.run(b, ["nft", "list", "ruleset"]).stdout)
        for key, rules in theirs.items():
            got = mine.get(key, [])
            for i, rule in enumerate(rules):
                totals["rules"] += 1
                if "xt match" in rule or "xt target" in rule:
                    totals["compat"] += 1
                elif i < len(got) and got[i] == rule:
                    totals["same"] += 1
                else:
                    totals["different"] += 1
                    print(f"DIFF {f} {key[1]}/{key[2]} #{i + 1}:\n  iptables-nft: {rule}\n  ipt2nft:      {got[i] if i < len(got) else '(missing)'}")
for f, lines in own_rejected:
    print(f"REFUSED BY IPT2NFT {f}: {' | '.join(lines)}")
print("kernel_differential: files={files} (iptables-restore refused {restore_refused} more), rules={rules}: "
      "same={same} compat-rendered={compat} different={different}".format(**totals))
print(f"kernel_differential: ipt2nft refused {len(own_rejected)} files iptables-restore accepted")
sys.exit(1 if own_corpus_differences else 0)
