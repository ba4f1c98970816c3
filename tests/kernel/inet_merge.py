"""translate --inet, proven by packets: random IPv4 and IPv6 filter rulesets, many of whose rules
are alike in both families, translated apart (an ip and an ip6 table) in one namespace and
merged (one inet table) in another; the same mixed IPv4 and IPv6 traffic over loopback in each.
Every rule is named by a comment (a rule both families have alike shares its name), and each
name's packet and byte counts in the two tables added up must equal the merged table's: the
merge took every packet through the same rules to the same fate. A rule keeping state (a rate)
written alike in both must stay two rules, or its counts differ. The merge's JSON, loaded by
`nft -j -f` in a third namespace, must list as the merged script does."""
import json
import random
import subprocess
import sys

import netns
from rule_pools import pair_files

tool = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 20
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261206
netns.require_root("kernel_inet_merge")

# Options written alike in both families, and each family's own.
BOTH = ["-p tcp --dport 22", "-p udp --dport 53", "-p udp -m multiport --dports 5000:5010", "-p tcp --syn",
        "-m conntrack --ctstate NEW", "-m conntrack --ctstate ESTABLISHED,RELATED", "-m conntrack --ctstate INVALID",
        "-i lo", "-o lo", "! -p udp", "-m length --length 0:200", "-m addrtype --dst-type LOCAL",
        "-m pkttype --pkt-type unicast", "-p udp --sport 40001", "-m limit --limit 1/hour --limit-burst 4"]
OWN = {4: ["-s 127.0.0.1", "-d 127.0.0.2", "-p icmp", "-m ttl --ttl-gt 10", "-d 127.0.0.0/8 -p udp"],
       6: ["-s ::1", "-p ipv6-icmp", "-m hl --hl-gt 10", "-d ::1 -p udp"]}
TARGETS = {"INPUT": ["-j ACCEPT", "-j DROP", "", "-j U", "-j REJECT"],
           "OUTPUT": ["", "", "-j U", "-j ACCEPT", "-j DROP"],
           "U": ["", "-j RETURN", "-j ACCEPT", "-j DROP"]}


def options(r, chain, first, more):
    """`first` (if any) and up to `more` of BOTH that go together in `chain`: one -p, -i in INPUT
    alone, -o in OUTPUT alone (U is reached from both)."""
    chosen = [first] if first else []
    for option in r.sample(BOTH, more):
        protocol = "-p " in option and any("-p " in o for o in chosen)
        wrong_hook = ("-i " in option and chain != "INPUT") or ("-o " in option and chain != "OUTPUT")
        if not protocol and not wrong_hook:
            chosen.append(option)
    return " ".join(chosen)


def random_rulesets(r):
    """(v4, v6) save files whose rules are named r0, r1, ...: some alike in both, some one family's."""
    rules = {4: [], 6: []}
    for n in range(r.randint(6, 16)):
        chain = r.choice(["INPUT", "OUTPUT", "U"])
        target = r.choice(TARGETS[chain])
        kind = r.choice(["both", "both", "4", "6", "apart"])
        if kind == "both":
            spec = options(r, chain, None, r.randint(0, 2))
            specs = {4: spec, 6: spec}
        else:
            specs = {f: options(r, chain, r.choice(OWN[f]), r.randint(0, 1)) for f in (4, 6)
                     if kind == "apart" or kind == str(f)}
        for family, spec in specs.items():
            rules[family].append(f"-A {chain} {spec} -m comment --comment r{n} {target}".replace("  ", " "))
    texts = {}
    for family in (4, 6):
        policy = {c: r.choice(["ACCEPT", "ACCEPT", "DROP"]) for c in ("INPUT", "OUTPUT")}
        texts[family] = ("*filter\n" + "".join(f":{c} {policy[c]} [0:0]\n" for c in ("INPUT", "OUTPUT")) +
                         ":FORWARD ACCEPT [0:0]\n:U - [0:0]\n" + "\n".join(rules[family]) + "\nCOMMIT\n")
    return texts[4], texts[6]


SEND = """
import socket
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1"), (socket.AF_INET, "127.0.0.2")):
    for sport, dport, size in ((40001, 53, 10), (40002, 5005, 300), (40003, 9, 0), (40004, 53, 150)):
        s = socket.socket(family, socket.SOCK_DGRAM)
        try:
            s.bind((host, sport))
            s.sendto(b"x" * size, (host, dport))
        except OSError:
            pass
        s.close()
    for port in (22, 23):
        t = socket.socket(family, socket.SOCK_STREAM)
        t.settimeout(0.2)
        try:
            t.connect((host, port))
        except OSError:
            pass
        t.close()
"""


def counts(ns):
    """packets and bytes by rule name, over every table."""
    listed = json.loads(netns.run(ns, ["nft", "-j", "list", "ruleset"]).stdout)["nftables"]
    totals = {}
    for item in listed:
        rule = item.get("rule")
        if not rule or "comment" not in rule:
            continue
        counter = next(e["counter"] for e in rule["expr"] if "counter" in e)
        packets, bytes_ = totals.get(rule["comment"], (0, 0))
        totals[rule["comment"]] = (packets + counter["packets"], bytes_ + counter["bytes"])
    return totals


def load(ns, files, options):
    script = subprocess.run([tool, "translate"] + options + files, capture_output=True, text=True)
    nft = ["nft", "-j", "-f", "-"] if "--format=json" in options else ["nft", "-f", "-"]
    loaded = script.returncode == 0 and netns.run(ns, nft, stdin=script.stdout).returncode == 0
    return script, loaded


tally = netns.Tally()
merged_rules = kept_apart = 0
rng = random.Random(seed)
for case in range(cases):
    v4, v6 = random_rulesets(rng)
    with pair_files(v4, v6) as (f4, f6), netns.namespace() as apart, netns.namespace() as merged, \
            netns.namespace() as from_json:
        separate, loaded_apart = load(apart, [f4, f6], [])
        together, loaded_merged = load(merged, [f4, f6], ["--inet"])
        as_json, loaded_json = load(from_json, [f4, f6], ["--inet", "--format=json"])
        if not (loaded_apart and loaded_merged and loaded_json) or "table inet filter" not in together.stdout:
            tally.check(False, f"FAIL case {case}: the scripts did not load: {separate.stderr} {together.stderr} "
                               f"{as_json.stderr}\n{together.stdout}")
            continue
        listed = [netns.run(ns, ["nft", "list", "ruleset"]).stdout for ns in (merged, from_json)]
        tally.check(listed[0] == listed[1], f"FAIL case {case}: the JSON lists otherwise:\n{listed[0]}\n{listed[1]}")
        once = [line for line in together.stdout.splitlines() if "comment" in line and "meta nfproto" not in line]
        merged_rules += len(once)
        kept_apart += sum("meta nfproto" in line and "comment" in line for line in together.stdout.splitlines())
        for ns in (apart, merged):
            netns.run(ns, ["ip", "link", "set", "lo", "up"])
            netns.run(ns, ["python3", "-c", SEND])
        theirs, ours = counts(apart), counts(merged)
        tally.check(theirs == ours, f"FAIL case {case}: by rule name, apart {sorted(theirs.items())}\n"
                                    f"  merged {sorted(ours.items())}\n{v4}{v6}{together.stdout}")
print(f"kernel_inet_merge: rules written once {merged_rules}, for one family {kept_apart}")
tally.finish("kernel_inet_merge", 2 * cases)
