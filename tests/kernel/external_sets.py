"""--external-set against the kernel: a first ruleset with ipsets (an `ipset save` file and rules)
loaded in two namespaces, by nft -f of its translation and by apply; then rules naming those sets
added with --noflush and --external-set, by nft -f of `translate` in the one and by `apply` in the
other. Both must load, list alike, keep the sets' elements, and count the packets the sets match
in every rule naming them. A set the kernel does not hold must make both fail, apply at the rule."""
import re
import subprocess
import sys
import tempfile

import netns

tool = sys.argv[1]
netns.require_root("kernel_external_sets")

SETS = ("create lo hash:ip family inet hashsize 1024 maxelem 65536\nadd lo 127.0.0.1\n"
        "create dns hash:ip,port family inet hashsize 1024 maxelem 65536\nadd dns 127.0.0.1,udp:53\n"
        "create far hash:net family inet hashsize 1024 maxelem 65536\nadd far 10.0.0.0/8\n")
FIRST = ("*filter\n-A OUTPUT -m set --match-set lo dst -m comment --comment first-lo\n"
         "-A OUTPUT -m set --match-set dns dst,dst -m comment --comment first-dns\n"
         "-A OUTPUT -m set --match-set far dst -m comment --comment first-far\nCOMMIT\n")
SECOND = ("*filter\n-A OUTPUT -p udp -m set --match-set lo src -m comment --comment second-lo\n"
          "-A OUTPUT -p udp -m set --match-set dns dst,dst -m comment --comment second-dns\n"
          "-A OUTPUT -m set ! --match-set far dst -m comment --comment second-far\nCOMMIT\n")
EXTERNAL = ["--external-set", "lo hash:ip", "--external-set", "dns hash:ip,port", "--external-set", "far hash:net"]
SEND = ("import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        "for port in (53, 54):\n    s.sendto(b'x', ('127.0.0.1', port))\n")


def counts(ns):
    listed = netns.run(ns, ["nft", "list", "ruleset"]).stdout
    return {m.group(3): int(m.group(1)) for m in
            re.finditer(r"counter packets (\d+) bytes (\d+).*comment \"([^\"]+)\"", listed)}


def translated(files, flags):
    return subprocess.run([tool, "translate", *flags, *files], capture_output=True, text=True)


tally = netns.Tally()
with tempfile.NamedTemporaryFile("w", suffix=".save") as sets, \
        tempfile.NamedTemporaryFile("w", suffix=".v4") as first, \
        tempfile.NamedTemporaryFile("w", suffix=".v4") as second, \
        netns.namespace() as by_nft, netns.namespace() as by_apply, netns.namespace() as bare:
    for f, text in ((sets, SETS), (first, FIRST), (second, SECOND)):
        f.write(text)
        f.flush()
    script = translated([sets.name, first.name], [])
    tally.check(netns.run(by_nft, ["nft", "-f", "-"], stdin=script.stdout).returncode == 0,
                f"FAIL the first ruleset does not load: {script.stderr}")
    applied = subprocess.run([tool, "apply", "--netns", by_apply, sets.name, first.name], capture_output=True, text=True)
    tally.check(applied.returncode == 0, f"FAIL apply of the first ruleset: {applied.stderr}")

    added = translated([second.name], ["--noflush", *EXTERNAL])
    tally.check(added.returncode == 0 and "set lo" not in added.stdout and "@lo" in added.stdout,
                f"FAIL translate --external-set: exit {added.returncode}, {added.stderr}\n{added.stdout}")
    loaded = netns.run(by_nft, ["nft", "-f", "-"], stdin=added.stdout)
    tally.check(loaded.returncode == 0, f"FAIL nft -f of the second ruleset: {loaded.stderr}")
    applied = subprocess.run([tool, "apply", "--netns", by_apply, "--noflush", *EXTERNAL, second.name],
                             capture_output=True, text=True)
    tally.check(applied.returncode == 0, f"FAIL apply of the second ruleset: {applied.stderr}")
    listings = [netns.run(ns, ["nft", "list", "ruleset"]).stdout for ns in (by_nft, by_apply)]
    tally.check(listings[0] == listings[1], f"FAIL the listings differ:\n{listings[0]}\n{listings[1]}")
    tally.check("10.0.0.0/8" in listings[0] and "127.0.0.1 . udp . 53" in listings[0],
                f"FAIL the sets lost their elements:\n{listings[0]}")

    for ns in (by_nft, by_apply):
        netns.run(ns, ["ip", "link", "set", "lo", "up"])
        netns.run(ns, ["python3", "-c", SEND])
        # Two datagrams to 127.0.0.1, one of them to port 53; none to 10/8.
        want = {"first-lo": 2, "first-dns": 1, "first-far": 0, "second-lo": 2, "second-dns": 1, "second-far": 2}
        got = counts(ns)
        tally.check(all(got.get(name, 0) >= n and (n > 0 or got.get(name) == 0) for name, n in want.items()),
                    f"FAIL counts in {ns}: {got}, expected at least {want}")

    # Not in the kernel: nft -f and apply both fail, apply naming the first rule that names it.
    missing = netns.run(bare, ["nft", "-f", "-"], stdin=added.stdout)
    tally.check(missing.returncode != 0, "FAIL nft -f took rules naming sets the kernel does not hold")
    refused = subprocess.run([tool, "apply", "--netns", bare, "--noflush", *EXTERNAL, second.name],
                             capture_output=True, text=True)
    tally.check(refused.returncode == 1 and f"{second.name}:2:" in refused.stderr and
                netns.run(bare, ["nft", "list", "ruleset"]).stdout == "",
                f"FAIL apply without the sets: exit {refused.returncode}: {refused.stderr}")
tally.finish("kernel_external_sets", 11)
