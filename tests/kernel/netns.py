"""Throwaway network namespaces for kernel tests: created per use, always deleted."""
import contextlib
import os
import re
import subprocess
import sys
import uuid

SKIP = 77


def require_root(what):
    """Kernel tests need root; outside CI they skip visibly, in CI they fail."""
    if os.geteuid() == 0 and subprocess.run(["ip", "netns", "list"], capture_output=True).returncode == 0:
        return
    message = f"{what}: needs root and network namespaces"
    if os.environ.get("CI"):
        print(f"FAIL {message} (required in CI)")
        sys.exit(1)
    print(f"SKIP {message}")
    sys.exit(SKIP)


@contextlib.contextmanager
def namespace():
    name = "ipt2nft-" + uuid.uuid4().hex[:10]
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def run(ns, args, stdin=None):
    return subprocess.run(["ip", "netns", "exec", ns] + args, input=stdin, capture_output=True, text=True)


class Tally:
    """Passed and failed cases of a kernel test; a failure printed as it is found."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, failure):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(failure)

    def finish(self, test, cases):
        print(f"{test}: {self.passed} passed, {self.failed} failed of {cases}")
        sys.exit(1 if self.failed else 0)


def load_both(theirs, ours, tool, text, family="4", restore=None):
    """`text` restored by ip(6)tables-nft-restore (or `restore`) in `theirs`, and translated by
    `tool` and loaded by `nft -f` in `ours`: (restored, the translation's process, loaded)."""
    restore = restore or ("iptables-nft-restore" if family == "4" else "ip6tables-nft-restore")
    restored = run(theirs, [restore], stdin=text).returncode == 0
    script = subprocess.run([tool, "translate", "-" + family, "-"], input=text, capture_output=True, text=True)
    loaded = script.returncode == 0 and run(ours, ["nft", "-f", "-"], stdin=script.stdout).returncode == 0
    return restored, script, loaded


@contextlib.contextmanager
def host_pairs(wire, tool, text):
    """Two hosts, each wired to a peer namespace of its own by `wire(host, peer)`, `text`
    restored by iptables-nft in the first and translated and loaded by nft in the second:
    (theirs, ours, their peer, our peer). A ruleset that does not load fails the test."""
    with namespace() as theirs, namespace() as ours, namespace() as their_peer, namespace() as our_peer:
        wire(theirs, their_peer)
        wire(ours, our_peer)
        restored, script, loaded = load_both(theirs, ours, tool, text)
        if not (restored and loaded):
            print(f"FAIL the ruleset did not load (restored: {restored}): {script.stderr}")
            sys.exit(1)
        yield theirs, ours, their_peer, our_peer


def counts_iptables(ns, program, table="filter"):
    """(rule, name, "packets:bytes") of each rule named by a comment `rN`, in order."""
    saved = run(ns, [f"{program}-save", "-c", "-t", table]).stdout
    named = [(line, re.search(r"--comment \"?(r\d+)", line)) for line in saved.splitlines() if line.startswith("[")]
    return [(line.split("] ", 1)[1], name.group(1), line[1:].split("]")[0]) for line, name in named if name]


def counts_nft(ns, family, table="filter"):
    """"packets:bytes" by rule name, the nft rules of one name added up."""
    listed = run(ns, ["nft", "list", "table", family, table]).stdout
    totals = {}
    for m in re.finditer(r"counter packets (\d+) bytes (\d+).*comment \"[^\"]*\b(r\d+)\b", listed):
        packets, bytes_ = totals.get(m.group(3), (0, 0))
        totals[m.group(3)] = (packets + int(m.group(1)), bytes_ + int(m.group(2)))
    return {name: f"{p}:{b}" for name, (p, b) in totals.items()}
