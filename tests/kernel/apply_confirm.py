"""apply --confirm against the kernel: the tables a batch replaced come back, each as it was
(rules, sets and the addresses in a recent list's, counters, comments, helper objects; a table
the batch made is gone), when the confirmation does not come: no answer, "n", SIGUSR2, or the
confirming process killed with its session, which the keeper outlives; they stay when confirmed
by "y" or SIGUSR1. The generation race: with the ruleset changed by another process just before
the batch is sent (an LD_PRELOAD interposer of sendmsg, argv[2]), the kernel refuses the batch,
the tables are read again and what is put back is what was read last; changed before every
attempt, nothing is applied. The keeper's end is awaited by its pid; no sleep decides an
outcome."""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

import netns

tool = sys.argv[1]
RACER = sys.argv[2]
netns.require_root("kernel_apply_confirm")
FIRST = ('*filter\n:INPUT DROP [0:0]\n[5:300] -A INPUT -s 1.1.1.1,2.2.2.2 -p tcp -m multiport --dports 22,80 '
         '-j ACCEPT -m comment --comment "a\\"b"\n-A INPUT -m conntrack ! --ctstate NEW --ctdir REPLY -j ACCEPT\n'
         '-A INPUT -m recent --rcheck --name KEEP -j ACCEPT\n'
         'COMMIT\n*raw\n-A PREROUTING -p udp -j CT --helper tftp\nCOMMIT\n')
NEW = "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n*raw\n-A OUTPUT -j NOTRACK\nCOMMIT\n"
tally = netns.Tally()
INPUT_FILE = os.path.join(tempfile.mkdtemp(), "new.v4")
with open(INPUT_FILE, "w") as f:
    f.write(NEW)


def load_first(ns):
    """The first ruleset, with an address in its recent list's set, as a packet would put it."""
    subprocess.run([tool, "apply", "--netns", ns, "-4", "-"], input=FIRST, text=True, check=True)
    netns.run(ns, ["nft", "add", "element", "ip", "filter", "KEEP", "{ 192.0.2.7 }"])


def tables(ns):
    """The listing as a set of table blocks: a table made again is listed after the others."""
    text = netns.run(ns, ["nft", "list", "ruleset"]).stdout
    return sorted(re.split(r"\n(?=table )", text.strip()))


def wait_gone(pid, seconds=60):
    end = time.monotonic() + seconds
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < end:
        time.sleep(0.05)
    return not os.path.exists(f"/proc/{pid}")


def keeper_pid(text):
    m = re.search(r"(?:kill -USR1|keeper pid) (\d+)", text)
    return int(m.group(1)) if m else None


def detached(ns, seconds, *signals):
    """apply --confirm without a terminal; the signals sent to the keeper it names."""
    p = subprocess.run([tool, "apply", "--netns", ns, "--confirm", str(seconds), "-4", "-"], input=NEW,
                       capture_output=True, text=True)
    pid = keeper_pid(p.stderr)
    tally.check(p.returncode == 0 and pid, f"FAIL --confirm without a terminal: {p.returncode} {p.stderr}")
    for s in signals:
        os.kill(pid, s)
    return pid


def on_terminal(ns, seconds, answer=None, kill=False):
    """apply --confirm on a pseudo-terminal: the answer typed (exit 0 for y, 1 for anything else),
    or the process and its session killed; the keeper's pid."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(tool, [tool, "apply", "--netns", ns, "--confirm", str(seconds), "-4", INPUT_FILE])
    said = b""
    while b"[y/N]" not in said:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            said += os.read(fd, 4096)
        except OSError:
            break
    keeper = keeper_pid(said.decode(errors="replace"))
    tally.check(keeper is not None, f"FAIL no question on the terminal: {said!r}")
    if kill:
        os.killpg(os.getpgid(pid), signal.SIGHUP)
        os.kill(pid, signal.SIGKILL)
    else:
        os.write(fd, answer.encode() + b"\n")
    status = os.waitpid(pid, 0)[1]
    os.close(fd)
    if not kill:
        want = 0 if answer == "y" else 1
        tally.check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == want,
                    f"FAIL answering {answer!r}: status {status}, not exit {want}")
    return keeper


def raced(ns, batches):
    """apply --confirm with another table made just before each of the first BATCHES batches sent."""
    env = dict(os.environ, LD_PRELOAD=RACER, RACE_BATCHES=str(batches))
    return subprocess.run([tool, "apply", "--netns", ns, "--confirm", "600", "-4", "-"], input=NEW,
                          capture_output=True, text=True, env=env)


def race_cases(ns, before):
    """Raced once: applied over the ruleset read again, and put back as that reading (the racer's
    table stays). Raced at every attempt: refused, nothing applied."""
    netns.run(ns, ["nft", "flush", "ruleset"])
    load_first(ns)
    p = raced(ns, 1)
    keeper = keeper_pid(p.stderr)
    tally.check(p.returncode == 0 and keeper, f"FAIL raced once: {p.returncode} {p.stderr}")
    tally.check(any("masquerade" in t for t in tables(ns)), "FAIL raced once: the new rules are not there")
    os.kill(keeper, signal.SIGUSR2)
    tally.check(wait_gone(keeper), "FAIL raced once: the keeper did not end")
    now = tables(ns)
    tally.check([t for t in now if "raced" not in t] == before and "table ip raced0 {\n}" in now,
                f"FAIL raced once: not put back as read again:\n{now}")
    netns.run(ns, ["nft", "delete", "table", "ip", "raced0"])
    p = raced(ns, 3)
    tally.check(p.returncode == 1 and "changed between reading it and applying, three times" in p.stderr
                and keeper_pid(p.stderr) is None, f"FAIL raced three times: {p.returncode} {p.stderr}")
    now = tables(ns)
    tally.check([t for t in now if "raced" not in t] == before and
                all(f"table ip raced{i} {{\n}}" in now for i in range(3)),
                f"FAIL raced three times: something was applied:\n{now}")


with netns.namespace() as ns:
    load_first(ns)
    before = tables(ns)
    tally.check(any("tftp-udp" in t for t in before) and any("192.0.2.7" in t for t in before),
                f"FAIL the first ruleset: {before}")
    cases = [
        ("no answer", lambda: detached(ns, 1), before),
        ("SIGUSR2", lambda: detached(ns, 600, signal.SIGUSR2), before),
        ("SIGUSR1", lambda: detached(ns, 600, signal.SIGUSR1), None),
        ("'n' on the terminal", lambda: on_terminal(ns, 600, "n"), before),
        ("'y' on the terminal", lambda: on_terminal(ns, 600, "y"), None),
        ("the session killed", lambda: on_terminal(ns, 2, kill=True), before),
    ]
    for name, run, expected in cases:
        netns.run(ns, ["nft", "flush", "ruleset"])
        load_first(ns)
        keeper = run()
        tally.check(keeper and wait_gone(keeper), f"FAIL {name}: the keeper did not end")
        now = tables(ns)
        if expected is None:
            tally.check(any("masquerade" in t for t in now) and now != before, f"FAIL {name}: not kept: {now}")
        else:
            tally.check(now == expected, f"FAIL {name}: the tables are not back:\n{now}\n--- expected\n{expected}")
    race_cases(ns, before)
os.unlink(INPUT_FILE)
os.rmdir(os.path.dirname(INPUT_FILE))
tally.finish("kernel_apply_confirm", 27)
