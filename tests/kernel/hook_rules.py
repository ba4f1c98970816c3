"""The table and hook rules of check_targets and check_match_hooks, compared with what
iptables-nft-restore and the kernel accept: each target and match in each built-in chain,
directly and from a user chain. Where iptables-nft takes a rule that nft cannot load (addrtype's
interface limits in a user chain reached from the wrong hook), ipt2nft must refuse it."""
import subprocess
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_hook_rules")
chains = {"raw": ["PREROUTING", "OUTPUT"], "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
          "nat": ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"], "filter": ["INPUT", "FORWARD", "OUTPUT"],
          "security": ["INPUT", "FORWARD", "OUTPUT"]}
targets = ["MASQUERADE", "SNAT --to-source 1.2.3.4", "DNAT --to-destination 1.2.3.4", "REDIRECT", "REJECT", "NOTRACK",
           "CT --notrack", "TCPMSS --clamp-mss-to-pmtu", "CLASSIFY --set-class 1:1", "DSCP --set-dscp 1", "TOS --set-tos 0x04/0xfc",
           "MARK --set-mark 1", "CONNMARK --set-mark 1", "LOG", "ACCEPT", "TRACE", "NFLOG", "TTL --ttl-set 9",
           "AUDIT --type accept", "SYNPROXY --mss 1460", "TEE --gateway 10.0.0.2",
           "TPROXY --on-port 1", "NETMAP --to 10.0.0.0/24"]
matches = ["-m owner --uid-owner 0", "-m owner --gid-owner 0", "-m mac --mac-source 00:11:22:33:44:55",
           "-m addrtype --dst-type LOCAL --limit-iface-in", "-m addrtype --src-type LOCAL --limit-iface-out",
           "-m addrtype --dst-type LOCAL", "-m pkttype --pkt-type unicast", "-m devgroup --src-group 1",
           "-m devgroup ! --dst-group 1/3", "-m cpu --cpu 0", "-m cgroup --cgroup 1", "-m ecn --ecn-ip-ect 1",
           "-m connbytes --connbytes 1: --connbytes-dir both --connbytes-mode bytes", "-m dscp --dscp 1",
           "-p esp -m esp --espspi 1", "-p ah -m ah --ahspi 1", "-m realm --realm 1", "-m policy --dir in --pol ipsec",
           "-m policy --dir in --pol none", "-m policy --dir out --pol ipsec", "-m policy --dir out --pol none",
           "-m time --timestart 12:00 --weekdays Mon", "-m rpfilter",
           "-m rpfilter --loose --validmark", "-p tcp -m osf --genre Linux"]
# Matches iptables-nft takes in any user chain that nft refuses where the chain is reached from
# the wrong hook (`fib ... iif`, `meta secpath`).
NFT_DECIDES = ("limit-iface", "-m policy --dir in")
# Matches iptables-nft takes in any user chain, where ipt2nft refuses them as iptables-legacy
# does: xt_policy's --dir out reads the packet's route, which it has not got in PREROUTING (nft's
# `rt ipsec` would take the rule and never match there).
LEGACY_DECIDES = ("--dir out",)
# A match's rule ends in ACCEPT.
specs = [f"-j {t}" for t in targets] + [f"{m} -j ACCEPT" for m in matches]


def nft_loads_in_user_chain(ns, table, chain, spec):
    """Our translation of the rule in a user chain no hook reaches, and a jump to it from `chain`
    added in nft itself: whether nft loads that."""
    unreached = f"*{table}\n:{chain} ACCEPT [0:0]\n:U - [0:0]\n-A U {spec}\nCOMMIT\n"
    script = subprocess.run([tool, "translate", "-4", "-"], input=unreached, capture_output=True, text=True).stdout
    return netns.run(ns, ["nft", "-f", "-"], stdin=script + f"add rule ip {table} {chain} jump U\n").returncode == 0


agree = disagree = 0
with netns.namespace() as ns:
    for table, names in chains.items():
        for chain in names:
            for spec in specs:
                extra = ("-p tcp --tcp-flags SYN,RST SYN " if spec.startswith("-j TCPMSS") else
                         "-p tcp " if spec.startswith(("-j SYNPROXY", "-j TPROXY")) else "")
                for via_user in (False, True):
                    if via_user:
                        text = f"*{table}\n:U - [0:0]\n-A {chain} -j U\n-A U {extra}{spec}\nCOMMIT\n"
                    else:
                        text = f"*{table}\n-A {chain} {extra}{spec}\nCOMMIT\n"
                    expected = netns.run(ns, ["iptables-nft-restore"], stdin=text).returncode == 0
                    ours = subprocess.run([tool, "translate", "-4", "-"], input=text, capture_output=True,
                                          text=True).returncode == 0
                    if expected and via_user and any(word in spec for word in NFT_DECIDES):
                        # iptables-nft takes it; the translation must be one nft takes too.
                        expected = nft_loads_in_user_chain(ns, table, chain, spec)
                    if expected and via_user and any(word in spec for word in LEGACY_DECIDES):
                        expected = chain in ("FORWARD", "OUTPUT", "POSTROUTING")
                    if expected == ours:
                        agree += 1
                    else:
                        disagree += 1
                        print(f"DISAGREE {table} {chain} {spec} {'via user chain' if via_user else 'direct'}: "
                              f"kernel {'accepts' if expected else 'refuses'}, ipt2nft {'accepts' if ours else 'refuses'}")
print(f"kernel_hook_rules: {agree} passed, {disagree} failed")
sys.exit(1 if disagree else 0)
