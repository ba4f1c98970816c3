"""apply is all or nothing, and --check changes nothing: a batch the kernel refuses in its middle
(a --noflush rule jumping to a chain the kernel does not hold, after a new table and chain in the
same batch) leaves `nft list ruleset` byte for byte as it was, with an error at the option the
kernel names (its extended acknowledgement's offset, mapped back to the expression's option);
--check reports the same refusal, and of a batch the kernel takes changes nothing either; a user
without CAP_NET_ADMIN gets a clear error and changes nothing."""
import os
import shutil
import subprocess
import sys
import tempfile

import netns

tool = sys.argv[1]
netns.require_root("kernel_apply_atomicity")
FIRST = "*filter\n:X - [0:0]\n-A X -j ACCEPT\n-A INPUT -j X\nCOMMIT\n"
REFUSED = ("*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n"
           "*filter\n:Z - [0:0]\n-A Z -j ACCEPT\n-A INPUT -j NOPE\nCOMMIT\n")
TAKEN = "*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n"
tally = netns.Tally()


def apply(ns, text, *flags):
    return subprocess.run([tool, "apply", "--netns", ns, "-4", *flags, "-"], input=text, capture_output=True, text=True)


def listing(ns):
    return netns.run(ns, ["nft", "list", "ruleset"]).stdout


with netns.namespace() as ns:
    first = apply(ns, FIRST)
    tally.check(first.returncode == 0, f"FAIL the first ruleset: {first.stderr}")
    before = listing(ns)
    tally.check("jump X" in before, f"FAIL the first ruleset is not listed: {before}")
    for flags in ((), ("--check",)):
        refused = apply(ns, REFUSED, "--noflush", *flags)
        tally.check(refused.returncode == 1, f"FAIL {flags}: exit {refused.returncode}, not 1")
        tally.check("<stdin>:7:10: error: the kernel refuses this part of the rule: No such file or directory" in refused.stderr,
                    f"FAIL {flags}: the error does not name -j NOPE on line 7: {refused.stderr}")
        tally.check(listing(ns) == before, f"FAIL {flags}: the refused batch changed the ruleset:\n{listing(ns)}")
    checked = apply(ns, TAKEN, "--check")
    tally.check(checked.returncode == 0, f"FAIL --check of a batch the kernel takes: {checked.stderr}")
    tally.check(listing(ns) == before, "FAIL --check changed the ruleset")
    taken = apply(ns, TAKEN)
    tally.check(taken.returncode == 0 and "tcp dport 22 counter" in listing(ns) and "jump X" not in listing(ns),
                f"FAIL the batch the kernel takes: {taken.stderr}\n{listing(ns)}")
    # nobody, inside the namespace: the kernel refuses every message (EPERM). nobody may not reach
    # the build's folder (a clone under a directory only root may enter): it runs a copy.
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)
        copy = shutil.copy(tool, os.path.join(folder, "ipt2nft"))
        os.chmod(copy, 0o755)
        unprivileged = netns.run(ns, ["env", "ASAN_OPTIONS=detect_leaks=0", "setpriv", "--reuid=nobody",
                                      "--regid=nogroup", "--clear-groups", copy, "apply", "-4", "-"], TAKEN)
    tally.check(unprivileged.returncode == 1 and "Operation not permitted (apply needs root or CAP_NET_ADMIN)"
                in unprivileged.stderr, f"FAIL as nobody: exit {unprivileged.returncode}: {unprivileged.stderr}")
    tally.check("tcp dport 22 counter" in listing(ns) and "jump X" not in listing(ns),
                "FAIL as nobody the ruleset changed")
tally.finish("kernel_apply_atomicity", 13)
