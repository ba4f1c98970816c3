"""-c lines: `iptables -A/-I [n] ...` run by iptables-nft in one namespace, and the nft commands
`ipt2nft translate -c` prints for it run by a shell in another, each on a chain already there
holding 0 to 3 rules. Both must succeed or both fail (-I n past the end plus one), and the chains must
hold the same rules in the same order, told apart by their source address and log prefix (nft
lists iptables-nft's comments not; a rule ipt2nft writes as two, for packets with and without a
connection, counts once)."""
import re
import subprocess
import sys

import netns

tool = sys.argv[1]
netns.require_root("kernel_command_lines")

RULES = [
    "-p tcp -j LOG --log-prefix new",
    # Two kernel rules (the addresses overlap, so ipt2nft keeps them apart too).
    "-s 10.0.0.0/8,10.0.0.1 -j LOG --log-prefix new",
    # Two nft rules for one kernel rule, and quotes the shell must pass on.
    "-m conntrack ! --ctstate NEW --ctdir REPLY -m comment --comment \"it's\" -j LOG --log-prefix \"it's new\"",
]


def chain(ns):
    """INPUT's rules as (source address, log prefix), a run of equal ones counted once."""
    listed = netns.run(ns, ["nft", "list", "chain", "ip", "filter", "INPUT"]).stdout
    rules = []
    for line in listed.splitlines():
        prefix = re.search(r'log prefix "([^"]*)"', line)
        if not prefix:
            continue
        source = re.search(r"ip saddr (\S+)", line)
        key = (source.group(1) if source else "", prefix.group(1))
        if not rules or rules[-1] != key:
            rules.append(key)
    return rules


cases = 0
tally = netns.Tally()
with netns.namespace() as theirs, netns.namespace() as ours:
    for held in range(4):
        for where in ["-A INPUT", "-I INPUT"] + [f"-I INPUT {n}" for n in range(1, held + 3)]:
            for rule in RULES:
                cases += 1
                command = f"iptables {where} {rule}"
                lines = subprocess.run([tool, "translate", "-c", command], capture_output=True, text=True)
                if lines.returncode != 0:
                    tally.check(False, f"FAIL ipt2nft refused {command}: {lines.stderr.strip()}")
                    continue
                for ns in (theirs, ours):
                    netns.run(ns, ["nft", "flush", "ruleset"])
                    # nft adds to a chain that is there: -P makes it, as iptables-nft makes it for -A.
                    netns.run(ns, ["iptables-nft", "-P", "INPUT", "ACCEPT"])
                    for k in range(held):
                        netns.run(ns, ["iptables-nft", "-A", "INPUT", "-j", "LOG", "--log-prefix", f"r{k + 1}"])
                ran_theirs = netns.run(theirs, ["sh", "-c", command.replace("iptables ", "iptables-nft ", 1)])
                ran_ours = netns.run(ours, ["sh", "-e", "-c", lines.stdout])
                same_outcome = (ran_theirs.returncode == 0) == (ran_ours.returncode == 0)
                tally.check(same_outcome and chain(theirs) == chain(ours),
                            f"FAIL {held} rules held, {command}: iptables-nft exit {ran_theirs.returncode} "
                            f"{chain(theirs)}\n  ipt2nft -c exit {ran_ours.returncode} {chain(ours)}\n"
                            f"  {lines.stdout.strip()}\n  {ran_ours.stderr.strip()[:300]}")
tally.finish("kernel_command_lines", cases)
