#!/usr/bin/env bash
# translate --run: a script with a loop, a function, an if, $(...) and a sourced file translates,
# each diagnostic at the file and line of its call; the sandbox changes nothing outside: files,
# processes, sockets, sysctl, interfaces; a script that fails or does not end is an error.
set -u
tool=$1
work=$(mktemp -d); chmod 755 "$work"
sleeper=; listener=
cleanup() {
    [[ -n $sleeper ]] && kill "$sleeper" 2> /dev/null
    [[ -n $listener ]] && kill "$listener" 2> /dev/null
    rm -rf "$work" /run/ipt2nft-run-test.sock
}
trap cleanup EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
if ! unshare --user true 2> /dev/null; then
    [[ -n ${CI:-} ]] && { echo "FAIL script_run: user namespaces are not available (required in CI)"; exit 1; }
    echo "SKIP script_run: user namespaces are not available"; exit 77
fi

# Control flow: the rules of every iteration, call and branch, in the order they ran.
printf 'PORTS="22 80"\nBAD_PORT=70000\n' > "$work/ports.conf"
cat > "$work/fw.sh" <<'SCRIPT'
#!/bin/bash
. "$(dirname "$0")/ports.conf"
IPT=/sbin/iptables
allow() {
    $IPT -A INPUT -p tcp --dport "$1" -j ACCEPT
}
for p in $PORTS; do allow "$p"; done
if [ "$1" = strict ]; then iptables -P INPUT DROP; fi
net=$(echo 10.9.0.0/16)
iptables -A INPUT -s "$net" -j DROP
sysctl -w net.ipv4.ip_forward=1
iptables-restore --noflush <<EOF
*filter
-A FORWARD -s $net -j DROP
COMMIT
EOF
SCRIPT
"$tool" translate --run --run-arg strict "$work/fw.sh" > "$work/out" 2> "$work/err" && ok ||
    bad "control flow: exit $?: $(cat "$work/err")"
for rule in "tcp dport 22 counter accept" "tcp dport 80 counter accept" "policy drop" "chain FORWARD"; do
    grep -qF "$rule" "$work/out" && ok || bad "control flow: no '$rule' in: $(cat "$work/out")"
done
[[ $(grep -c "ip saddr 10.9.0.0/16 counter drop" "$work/out") == 2 ]] && ok || bad "control flow: \$(...) and the here-document"
grep -q "fw.sh:11:1: warning: command 'sysctl' ignored" "$work/err" && ok || bad "sysctl's warning is not at fw.sh:11: $(cat "$work/err")"
# A diagnostic of a command run in a function called in a loop: the function's line, the command as it ran.
sed -i 's/^for p in $PORTS/for p in $PORTS $BAD_PORT/' "$work/fw.sh"
"$tool" translate --run "$work/fw.sh" > /dev/null 2> "$work/err"
grep -q "fw.sh:5:[0-9]*: note: port 70000 is out of range" "$work/err" && ok || bad "the bad port is not told at fw.sh:5: $(cat "$work/err")"
grep -qx "iptables -A INPUT -p tcp --dport 70000 -j ACCEPT" "$work/err" && ok || bad "the command as it ran is not shown: $(cat "$work/err")"
# In a sourced file, the sourced file's place.
printf 'iptables -A INPUT -p udp --dport 99999 -j ACCEPT\n' > "$work/more.sh"
printf '#!/bin/sh\niptables -N X\n. %s/more.sh\n' "$work" > "$work/main.sh"
"$tool" translate --run "$work/main.sh" > /dev/null 2> "$work/err"
grep -q "more.sh:1:.*port 99999" "$work/err" && ok || bad "the sourced file's place: $(cat "$work/err")"

# Each call is answered as iptables would answer it, from the rules before it: a check, a listing,
# a chain made twice; with `set -e` a refused command ends the script, which is then an error.
cat > "$work/answers.sh" <<'SCRIPT'
iptables -N X
iptables -C INPUT -j X || iptables -A INPUT -j X
iptables -C INPUT -j X || iptables -A INPUT -s 10.0.0.1 -j X
iptables -L X > /dev/null || iptables -A INPUT -s 10.0.0.2 -j DROP
iptables -L Y > /dev/null || iptables -A INPUT -s 10.0.0.3 -j DROP
iptables -N X || iptables -A INPUT -s 10.0.0.4 -j DROP
if iptables -N Z; then iptables -A Z -j ACCEPT; fi
SCRIPT
"$tool" translate --run "$work/answers.sh" > "$work/out" 2> "$work/err"
[[ $(grep -c "jump X" "$work/out") == 1 ]] && ok || bad "-C found the rule before it: $(cat "$work/out")"
for present in 10.0.0.3 10.0.0.4 "chain Z"; do grep -q "$present" "$work/out" && ok || bad "answers: no '$present' in $(cat "$work/out")"; done
for absent in 10.0.0.1 10.0.0.2; do ! grep -q "$absent" "$work/out" && ok || bad "answers: '$absent' in $(cat "$work/out")"; done
grep -q "answers.sh:6:1: warning: this command fails" "$work/err" && ok || bad "the second -N X is not told: $(cat "$work/err")"
printf 'set -e
iptables -N X
iptables -N X
iptables -A INPUT -j ACCEPT
' > "$work/errexit.sh"
"$tool" translate --run "$work/errexit.sh" > "$work/out" 2> "$work/err"; status=$?
[[ $status == 1 && ! -s $work/out ]] && grep -q "exited with status 1" "$work/err" && ok || bad "set -e: exit $status: $(cat "$work/err")"

# Isolation: a script that writes, deletes, kills, connects and sets the kernel changes nothing outside.
sleep 300 & sleeper=$!
touch "$work/victim"; chmod 666 "$work/victim"; chmod 1777 "$work"
python3 -c 'import os, select, socket, sys
tcp = socket.socket(socket.AF_INET); tcp.bind(("127.0.0.1", 0)); tcp.listen()
unix = socket.socket(socket.AF_UNIX); unix.bind("/run/ipt2nft-run-test.sock"); unix.listen()
os.chmod("/run/ipt2nft-run-test.sock", 0o777)
open(sys.argv[1], "w").write(str(tcp.getsockname()[1]))
if select.select([tcp, unix], [], [], 300)[0]: open(sys.argv[2], "w").write("connected")' "$work/port" "$work/connected" &
listener=$!
until [[ -s $work/port ]]; do kill -0 "$listener" 2> /dev/null || break; sleep 0.1; done
forward=$(cat /proc/sys/net/ipv4/ip_forward)
cat > "$work/evil.sh" <<SCRIPT
echo x > "$work/written"
rm -f "$work/victim"
touch /root/ipt2nft-run-test-mark /tmp/ipt2nft-run-test-mark
kill -9 $sleeper
exec 3<> /dev/tcp/127.0.0.1/$(cat "$work/port")
python3 -c 'import socket; socket.socket(socket.AF_UNIX).connect("/run/ipt2nft-run-test.sock")'
/usr/sbin/sysctl -w net.ipv4.ip_forward=$((1 - forward))
echo $((1 - forward)) > /proc/sys/net/ipv4/ip_forward
ip link add ipt2nftrun0 type dummy
iptables -A INPUT -j ACCEPT
SCRIPT
"$tool" translate --run "$work/evil.sh" > "$work/out" 2> "$work/err"
grep -q "counter accept" "$work/out" && ok || bad "isolation: the script's iptables call is not translated: $(cat "$work/err")"
[[ ! -e $work/written ]] && ok || bad "isolation: the script wrote a file of the host"
[[ -e $work/victim ]] && ok || bad "isolation: the script deleted a file of the host"
[[ ! -e /root/ipt2nft-run-test-mark && ! -e /tmp/ipt2nft-run-test-mark ]] && ok || bad "isolation: the script made a file in /root or /tmp"
kill -0 "$sleeper" 2> /dev/null && ok || bad "isolation: the script killed a process of the host"
[[ ! -e $work/connected ]] && ok || bad "isolation: the script reached a socket of the host"
[[ $(cat /proc/sys/net/ipv4/ip_forward) == "$forward" ]] && ok || bad "isolation: the script changed a sysctl of the host"
! ip link show ipt2nftrun0 > /dev/null 2>&1 && ok || bad "isolation: the script made an interface on the host"
grep -q "evil.sh:7:1: warning: command 'sysctl' ignored" "$work/err" && ok || bad "isolation: /usr/sbin/sysctl is not recorded: $(cat "$work/err")"
rm -f /root/ipt2nft-run-test-mark /tmp/ipt2nft-run-test-mark

# A script that fails, or does not end: an error, exit 1, nothing written.
printf 'iptables -A INPUT -j ACCEPT\necho giving up >&2\nexit 3\n' > "$work/fails.sh"
"$tool" translate --run "$work/fails.sh" > "$work/out" 2> "$work/err"; status=$?
[[ $status == 1 && ! -s $work/out ]] && grep -q "exited with status 3" "$work/err" && grep -q "giving up" "$work/err" && ok ||
    bad "a failing script: exit $status: $(cat "$work/err")"
printf 'iptables -A INPUT -j ACCEPT\nsleep 600\n' > "$work/hangs.sh"
start=$SECONDS
"$tool" translate --run --run-timeout 1 "$work/hangs.sh" > "$work/out" 2> "$work/err"; status=$?
[[ $status == 1 && ! -s $work/out ]] && grep -q "did not end within 1 s" "$work/err" && ok || bad "a script that hangs: exit $status: $(cat "$work/err")"
(( SECONDS - start < 30 )) && ok || bad "a script that hangs took $((SECONDS - start)) s to stop"
"$tool" translate --run-arg x "$work/fw.sh" > /dev/null 2>&1; [[ $? == 2 ]] && ok || bad "--run-arg without --run is not a usage error"
echo "script_run: $pass passed, $fail failed"
[[ $fail == 0 ]]
