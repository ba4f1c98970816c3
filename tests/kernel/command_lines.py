"""-c lines: `iptables -A/-I [n] ...` run by iptables-nft in one namespace, and the nft commands
`ipt2nft translate -c` prints for it run by a shell in another, each on a chain already there
holding 0 to 3 rules; so too -N, -X, -F, -E, -P and -A on a user chain absent, empty, holding a
rule or jumped to. Both must succeed or both fail (-I n past the end plus one, -N of a chain
that is there), and the table must hold the same chains and rules in the same order, rules told
apart by their source address and log prefix (nft lists no comment of iptables-nft's), a rule
ipt2nft writes as two (for packets with and without a connection) counted once. nft deletes a
chain that holds rules, where iptables -X refuses: there ipt2nft must warn. Then random rules of
rule_pools (fixed seeds) as -A, -I and -I 1 commands on an empty built-in chain: the same
outcome, and the same kernel expressions where iptables-nft writes nft's own."""
import random
import re
import subprocess
import sys

import bytecode
import netns
from rule_pools import CHAINS, pools

tool = sys.argv[1]
random_cases = int(sys.argv[2]) if len(sys.argv) > 2 else 100  # per family
netns.require_root("kernel_command_lines")

RULES = [
    "-p tcp -j LOG --log-prefix new",
    # Two kernel rules (the addresses overlap, so ipt2nft keeps them apart too).
    "-s 10.0.0.0/8,10.0.0.1 -j LOG --log-prefix new",
    # Two nft rules for one kernel rule, and quotes the shell must pass on.
    "-m conntrack ! --ctstate NEW --ctdir REPLY -m comment --comment \"it's\" -j LOG --log-prefix \"it's new\"",
]


def table(ns):
    """The filter table: per chain, its policy and its rules as (source address, log prefix or
    jump), a run of equal ones counted once."""
    listed = netns.run(ns, ["nft", "list", "table", "ip", "filter"]).stdout
    chains = {}
    rules = None
    for line in listed.splitlines():
        if opened := re.match(r"\s*chain (\S+) \{", line):
            chains[opened.group(1)] = rules = []
            continue
        if policy := re.search(r"policy (\w+);", line):
            rules.append(("policy", policy.group(1)))
        action = re.search(r'log prefix "([^"]*)"|jump (\S+)', line)
        if not action:
            continue
        source = re.search(r"ip saddr (\S+)", line)
        key = (source.group(1) if source else "", action.group(1) or "jump " + action.group(2))
        if not rules or rules[-1] != key:
            rules.append(key)
    return chains


def start_both(program, table_name, chain_name, setup, command):
    """Both namespaces emptied, then holding the built-in chain (nft adds to a chain that is there:
    -P makes it, as iptables-nft makes it for -A) and `setup` (argument lists of `program`);
    `command` run by iptables-nft in one. Returns how it ran."""
    for ns in (theirs, ours):
        netns.run(ns, ["nft", "flush", "ruleset"])
        netns.run(ns, [program + "-nft", "-t", table_name, "-P", chain_name, "ACCEPT"])
        for args in setup:
            netns.run(ns, [program + "-nft"] + args)
    return netns.run(theirs, ["sh", "-c", command.replace(program + " ", program + "-nft ", 1)])


def compare(setup, command, deletes_rules=False):
    """`setup` (iptables-nft argument lists) in both namespaces, then `command` run by iptables-nft
    in one and as ipt2nft -c's lines in the other; a failure is printed and counted. With
    `deletes_rules`, a -X of a chain holding rules: nft deletes it, iptables refuses, and ipt2nft
    must have warned."""
    lines = subprocess.run([tool, "translate", "-c", command], capture_output=True, text=True)
    if lines.returncode != 0:
        tally.check(False, f"FAIL ipt2nft refused {command}: {lines.stderr.strip()}")
        return
    ran_theirs = start_both("iptables", "filter", "INPUT", setup, command)
    ran_ours = netns.run(ours, ["sh", "-e", "-c", lines.stdout])
    if deletes_rules:
        tally.check(ran_theirs.returncode != 0 and "[deletes-rules]" in lines.stderr,
                    f"FAIL after {setup}, {command}: iptables-nft exit {ran_theirs.returncode}, ipt2nft -c said "
                    f"{lines.stderr.strip()[:300]}")
        return
    same_outcome = (ran_theirs.returncode == 0) == (ran_ours.returncode == 0)
    tally.check(same_outcome and table(theirs) == table(ours),
                f"FAIL after {setup}, {command}: iptables-nft exit {ran_theirs.returncode} {table(theirs)}\n"
                f"  ipt2nft -c exit {ran_ours.returncode} {table(ours)}\n  {lines.stdout.strip()}\n"
                f"  {ran_ours.stderr.strip()[:300]}")


# A user chain X absent, empty, holding a rule, or jumped to; Y absent or there.
STATES = {"absent": [], "empty": [["-N", "X"]], "holding": [["-N", "X"], ["-A", "X", "-j", "LOG", "--log-prefix", "x"]],
          "jumped to": [["-N", "X"], ["-A", "INPUT", "-j", "X"]]}
CHAIN_COMMANDS = ["-N X", "-X X", "-F X", "-F", "-E X Y", "-P INPUT DROP", "-A X -j LOG --log-prefix new"]



def compare_random(seed, family):
    """A random rule of rule_pools as a -c command, run on an empty built-in chain: the same
    outcome, and the same kernel expressions where iptables-nft writes nft's own."""
    rng = random.Random(seed)
    matches, targets = pools(family == "6")
    table_name = rng.choice(list(CHAINS))
    chain_name = rng.choice(CHAINS[table_name])
    rule = " ".join([rng.choice(rng.choice(matches)) for _ in range(rng.randint(0, 4))] +
                    [rng.choice(targets[table_name])])
    program = "ip6tables" if family == "6" else "iptables"
    where = rng.choice([f"-A {chain_name}", f"-I {chain_name}", f"-I {chain_name} 1"])
    command = f"{program} -t {table_name} {where} {rule}"
    lines = subprocess.run([tool, "translate", "-c", command], capture_output=True, text=True)
    ran_theirs = start_both(program, table_name, chain_name, [], command)
    if lines.returncode != 0:
        # ipt2nft refuses what iptables refuses, and what nft cannot write (then with a reason).
        tally.check(ran_theirs.returncode != 0 or "[untranslatable]" in lines.stderr,
                    f"FAIL ipt2nft refused {command}, which iptables-nft takes: {lines.stderr.strip()[-300:]}")
        return
    ran_ours = netns.run(ours, ["sh", "-e", "-c", lines.stdout])
    key = ("ip6" if family == "6" else "ip", table_name, chain_name)
    their_rules, our_rules = bytecode.rules(theirs).get(key, []), bytecode.rules(ours).get(key, [])
    native = len(their_rules) == 1 and not bytecode.compat_modules(their_rules[0]) and len(our_rules) == 1
    tally.check((ran_theirs.returncode == 0) == (ran_ours.returncode == 0) and
                (not native or re.search(r"! --[sd]port 0:65535", rule) or their_rules == our_rules),
                f"FAIL {command}: iptables-nft exit {ran_theirs.returncode}, ipt2nft -c exit {ran_ours.returncode}"
                f"\n  {lines.stdout.strip()}\n  {ran_ours.stderr.strip()[:300]}\n  iptables-nft: {their_rules}"
                f"\n  ipt2nft:      {our_rules}")


tally = netns.Tally()
cases = 0
with netns.namespace() as theirs, netns.namespace() as ours:
    for held in range(4):
        setup = [["-A", "INPUT", "-j", "LOG", "--log-prefix", f"r{k + 1}"] for k in range(held)]
        for where in ["-A INPUT", "-I INPUT"] + [f"-I INPUT {n}" for n in range(1, held + 3)]:
            for rule in RULES:
                cases += 1
                compare(setup, f"iptables {where} {rule}")
    for state, setup in STATES.items():
        for y_there in (False, True):
            for command in CHAIN_COMMANDS:
                cases += 1
                compare(setup + ([["-N", "Y"]] if y_there else []), f"iptables {command}",
                        state == "holding" and command == "-X X")
    for family in ("4", "6"):
        for seed in range(random_cases):
            cases += 1
            compare_random(seed, family)
tally.finish("kernel_command_lines", cases)
