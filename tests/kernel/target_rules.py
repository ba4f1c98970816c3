"""The target/table/hook table of check_targets, compared with what iptables-nft-restore and the
kernel accept: each target in each built-in chain, directly and from a user chain."""
import subprocess
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_target_rules")
chains = {"raw": ["PREROUTING", "OUTPUT"], "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
          "nat": ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"], "filter": ["INPUT", "FORWARD", "OUTPUT"],
          "security": ["INPUT", "FORWARD", "OUTPUT"]}
targets = ["MASQUERADE", "SNAT --to-source 1.2.3.4", "DNAT --to-destination 1.2.3.4", "REDIRECT", "REJECT", "NOTRACK",
           "CT --notrack", "TCPMSS --clamp-mss-to-pmtu", "CLASSIFY --set-class 1:1", "DSCP --set-dscp 1", "TOS --set-tos 0x04/0xfc",
           "MARK --set-mark 1", "CONNMARK --set-mark 1", "LOG", "ACCEPT"]
agree = disagree = 0
with netns.namespace() as ns:
    for table, names in chains.items():
        for chain in names:
            for target in targets:
                extra = "-p tcp --tcp-flags SYN,RST SYN " if target.startswith("TCPMSS") else ""
                for via_user in (False, True):
                    if via_user:
                        text = f"*{table}\n:U - [0:0]\n-A {chain} -j U\n-A U {extra}-j {target}\nCOMMIT\n"
                    else:
                        text = f"*{table}\n-A {chain} {extra}-j {target}\nCOMMIT\n"
                    kernel = netns.run(ns, ["iptables-nft-restore"], stdin=text).returncode == 0
                    ours = subprocess.run([tool, "translate", "-4", "-"], input=text, capture_output=True, text=True).returncode == 0
                    if kernel == ours:
                        agree += 1
                    else:
                        disagree += 1
                        print(f"DISAGREE {table} {chain} {target} {'via user chain' if via_user else 'direct'}: "
                              f"kernel {'accepts' if kernel else 'refuses'}, ipt2nft {'accepts' if ours else 'refuses'}")
print(f"kernel_target_rules: {agree} passed, {disagree} failed")
sys.exit(1 if disagree else 0)
