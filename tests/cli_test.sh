#!/usr/bin/env bash
# CLI contract: exit statuses 0/1/2, -o written atomically (never partial, old file kept on
# errors), stdin input, -c; apply's usage errors and a namespace that is not there; sim's statuses
# and formats; lint's statuses, --fail-on, --disable and its JSON and SARIF; abbreviated options,
# did-you-mean for a misspelt command or option, `help`, --color and NO_COLOR.
set -u
tool=$1; corpus=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() {  # description, expected status, command...
    local what=$1 want=$2; shift 2
    "$@" > "$work/out" 2> "$work/err"; local got=$?
    if [[ $got == "$want" ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $what: exit $got, expected $want"; fi
}
printf '*filter\n-A INPUT -p tcp --dport 70000 -j ACCEPT\nCOMMIT\n' > "$work/bad.v4"
check "good file" 0 "$tool" translate "$corpus/translate/basic-host.v4"
check "input errors" 1 "$tool" translate "$work/bad.v4"
check "unknown option" 2 "$tool" translate --bogus
check "no command" 2 "$tool"
check "--version" 0 "$tool" --version
grep -qx "ipt2nft [0-9]*\.[0-9]*\.[0-9]*" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --version prints: $(cat "$work/out")"; }
check "-4 with -6" 2 "$tool" translate -4 -6 "$corpus/translate/basic-host.v4"
check "-c with --format=netlink" 0 "$tool" translate --format=netlink -c "iptables -A INPUT -j ACCEPT"
grep -q "^  \[ immediate reg 0 accept \]$" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -c with --format=netlink prints: $(head -c 300 "$work/out")"; }
check "--format=netlink" 0 "$tool" translate --format=netlink "$corpus/translate/basic-host.v4"
grep -q "^  \[ immediate reg 0 accept \]$" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --format=netlink prints: $(head -c 300 "$work/out")"; }
check "--format=ir" 0 "$tool" translate --format=ir "$corpus/translate/basic-host.v4"
grep -q "^table ip filter$" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --format=ir prints: $(head -c 300 "$work/out")"; }
check "unknown format" 2 "$tool" translate --format=yaml "$corpus/translate/basic-host.v4"
check "--format=json" 0 "$tool" translate --format=json "$corpus/translate/basic-host.v4"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["nftables"]; assert c[0]["metainfo"]["json_schema_version"] == 1
assert any("rule" in x.get("add", {}) for x in c)' "$work/out" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --format=json prints: $(head -c 300 "$work/out")"; }
check "--inet" 0 "$tool" translate --inet "$corpus/translate/basic-host.v4" "$corpus/translate/ipv6-host.v6"
check "--inet with --format=json" 0 "$tool" translate --inet --format=json "$corpus/translate/basic-host.v4"
check "--inet with --format=netlink" 0 "$tool" translate --inet --format=netlink "$corpus/translate/basic-host.v4"
check "--inet with --format=sim" 2 "$tool" translate --inet --format=sim "$corpus/translate/basic-host.v4"
check "--inet with --noflush" 2 "$tool" translate --inet --noflush "$corpus/translate/basic-host.v4"
check "apply --inet with --noflush" 2 "$tool" apply --inet --noflush "$corpus/translate/basic-host.v4"
printf '*filter\n-A INPUT -m set --match-set bl src -j DROP\nCOMMIT\n' > "$work/set.v4"
check "--external-set without --noflush" 2 "$tool" translate --external-set 'bl hash:net' "$work/set.v4"
check "a set neither given nor external" 1 "$tool" translate --noflush "$work/set.v4"
check "--external-set" 0 "$tool" translate --noflush --external-set 'bl hash:net' "$work/set.v4"
grep -q "ip saddr @bl counter drop" "$work/out" && ! grep -q "set bl" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --external-set writes: $(head -c 300 "$work/out")"; }
check "--external-set of an unknown type" 1 "$tool" translate --noflush --external-set 'bl hash:nope' "$work/set.v4"
grep -q "^--external-set:1:" "$work/err" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --external-set's error is not located in it: $(head -c 300 "$work/err")"; }
check "-c with --format=json" 2 "$tool" translate --format=json -c "iptables -A INPUT -j ACCEPT"
check "--allow-untranslated with --format=json" 2 "$tool" translate --format=json --allow-untranslated "$corpus/translate/basic-host.v4"
grep -q "which JSON cannot hold" "$work/err" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --allow-untranslated with --format=json says: $(cat "$work/err")"; }
# Text that is not UTF-8 (Latin-1 here): the script holds it, JSON cannot.
printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i caf\351 -j LOG --log-prefix "d\351j\340 "\n-A INPUT -m comment --comment "r\351seau" -j ACCEPT\nCOMMIT\n' > "$work/latin1.v4"
check "non-UTF-8 text, nft format" 0 "$tool" translate "$work/latin1.v4"
check "non-UTF-8 text, --format=json" 1 "$tool" translate --format=json "$work/latin1.v4"
[[ $(grep -c "not-utf8" "$work/err") == 3 && ! -s "$work/out" ]] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL non-UTF-8 text with --format=json says: $(cat "$work/err")"; }
check "-c with a file" 2 "$tool" translate -c "iptables -A INPUT -j ACCEPT" "$corpus/translate/basic-host.v4"
check "apply --confirm out of range" 2 "$tool" apply --confirm 0 "$corpus/translate/basic-host.v4"
check "apply --check with --confirm" 2 "$tool" apply --check --confirm 5 "$corpus/translate/basic-host.v4"
check "apply --netns with an empty name" 2 "$tool" apply --netns "" "$corpus/translate/basic-host.v4"
# A namespace that is not there: an error, never the process's own namespace instead.
check "apply into a missing namespace" 1 "$tool" apply --netns ipt2nft-no-such-namespace "$corpus/translate/basic-host.v4"
grep -q "cannot open network namespace '/run/netns/ipt2nft-no-such-namespace': No such file or directory: nothing was applied" "$work/err" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL missing namespace message: $(cat "$work/err")"; }
host="$corpus/translate/basic-host.v4"
check "sim" 0 "$tool" sim "$host" --packet "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22"
grep -q "^  verdict: " "$work/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sim prints: $(head -c 300 "$work/out")"; }
grep -q "assumed-host" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sim without a host says nothing: $(cat "$work/err")"; }
check "sim --format=json" 0 "$tool" sim "$host" --format=json --packet "udp 192.0.2.1:5000 > 198.51.100.7:53"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert t[0]["verdict"] in ("accept","drop") and t[0]["steps"]' "$work/out" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sim --format=json prints: $(head -c 300 "$work/out")"; }
check "sim --format=dot" 0 "$tool" sim "$host" --format=dot --packet "udp 192.0.2.1:5000 > 198.51.100.7:53"
grep -q "^digraph " "$work/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sim --format=dot prints: $(head -c 300 "$work/out")"; }
check "sim without a packet" 2 "$tool" sim "$host"
check "sim with a wrong packet" 2 "$tool" sim "$host" --packet "tcp 1.2.3.4 > 5.6.7.8:22"
grep -q "column 5: a port is needed" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sim packet error: $(cat "$work/err")"; }
check "sim with a wrong interface" 2 "$tool" sim "$host" --iface "eth0=300.1.1.1/24" --packet "udp 1.2.3.4:1 > 5.6.7.8:2"
check "sim of rules with errors" 1 "$tool" sim "$work/bad.v4" --packet "udp 1.2.3.4:1 > 5.6.7.8:2"
router="$corpus/sim/router.v4"
check "sim --host" 0 "$tool" sim "$router" --host "$corpus/sim/router.host.yaml" --packet "in eth1 udp 10.0.0.7:5353 > 9.9.9.9:53"
grep -q "forwarded out eth0" "$work/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sim --host prints: $(cat "$work/out")"; }
printf 'interfaces:\n  eth0: 192.0.2.300/24\n' > "$work/host.yaml"
check "sim with a wrong host file" 1 "$tool" sim "$router" --host "$work/host.yaml" --packet "udp 1.2.3.4:1 > 5.6.7.8:2"
check "test" 0 "$tool" test "$router" "$corpus/sim/router.tests.yaml" --junit "$work/junit.xml"
grep -q "^6 passed, 0 failed$" "$work/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL test prints: $(cat "$work/out")"; }
python3 -c 'import sys, xml.etree.ElementTree as E; t=E.parse(sys.argv[1]).getroot(); assert t.get("tests") == "6" and t.get("failures") == "0"' "$work/junit.xml" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL test --junit wrote: $(head -c 300 "$work/junit.xml")"; }
sed 's/verdict: drop, rule: policy/verdict: accept/' "$corpus/sim/router.tests.yaml" > "$work/failing.yaml"
check "test with a failing case" 1 "$tool" test "$router" "$work/failing.yaml" --junit "$work/junit.xml"
grep -q "^5 passed, 1 failed$" "$work/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL failing test prints: $(cat "$work/out")"; }
grep -q 'failures="1"' "$work/junit.xml" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL failing test's JUnit: $(head -c 300 "$work/junit.xml")"; }
check "test without a test file" 2 "$tool" test "$router"
check "sim of a capture that is not there" 1 "$tool" sim "$router" --pcap "$work/none.pcap"
grep -q "cannot read the capture" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL missing capture: $(cat "$work/err")"; }
# A full disk is not a written script.
if [[ -w /dev/full ]]; then
    check "stdout on a full disk" 1 sh -c "\"$tool\" translate \"$corpus/translate/basic-host.v4\" > /dev/full"
    grep -q "cannot write the script to standard output: No space left on device" "$work/err" && pass=$((pass + 1)) ||
        { fail=$((fail + 1)); echo "FAIL full disk message: $(cat "$work/err")"; }
else
    echo "NOTE /dev/full is not writable here: the full-disk check is skipped"
fi
check "missing file" 1 "$tool" translate "$work/none.v4"
grep -q "cannot read '$work/none.v4': No such file or directory" "$work/err" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL missing file message: $(cat "$work/err")"; }
check "a directory" 1 "$tool" translate "$work"
check "stdin through a pipe, same script as the file" 0 sh -c "cat \"$corpus/translate/basic-host.v4\" | \"$tool\" translate -"
cmp -s "$work/out" <("$tool" translate "$corpus/translate/basic-host.v4" 2>/dev/null) && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL piped stdin gives another script than the file"; }
check "stdin" 0 sh -c "\"$tool\" translate - < \"$corpus/translate/basic-host.v4\""
check "-o - is stdout" 0 sh -c "cd \"$work\" && \"$tool\" translate -o - \"$corpus/translate/basic-host.v4\""
[[ ! -e $work/- ]] && cmp -s "$work/out" <("$tool" translate "$corpus/translate/basic-host.v4" 2>/dev/null) &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL -o - wrote a file '-' or another script"; }
check "-c" 0 "$tool" translate -c "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE"
grep -qx "nft 'add rule ip nat POSTROUTING oifname \"eth0\" counter masquerade'" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -c output: $(cat "$work/out")"; }
check "-c with the arguments alone, as iptables-translate takes them" 0 "$tool" translate -c "-t nat -A POSTROUTING -o eth0 -j MASQUERADE"
grep -qx "nft 'add rule ip nat POSTROUTING oifname \"eth0\" counter masquerade'" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -c arguments alone: $(cat "$work/out" "$work/err")"; }
# -c's lines are shell commands: a quote in a comment, prefix or name must not end nft's argument.
check "-c with single quotes in the rule" 0 "$tool" translate -c "iptables -A INPUT -i \"a'b\" -m conntrack ! --ctstate NEW --ctdir REPLY -m comment --comment \"it's\" -j LOG --log-prefix \"x'y\""
sh -c 'nft() { printf "%s|\n" "$*"; }; . "$1"' sh "$work/out" > "$work/args" 2>&1
printf '%s|\n' "add rule ip filter INPUT iifname \"a'b\" ct direction reply ct state ! new counter log prefix \"x'y\" comment \"it's\"" \
    "add rule ip filter INPUT ct state invalid,untracked iifname \"a'b\" counter log prefix \"x'y\" comment \"it's\"" |
    cmp -s - "$work/args" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -c quoting, the shell reads: $(cat "$work/args")"; }
# Larger than one read step of a pipe: the input grows while it is read.
{ echo '*filter'; for i in $(seq 4000); do echo "-A INPUT -s 10.0.$((i / 250)).$((i % 250)) -m comment --comment \"rule $i\" -j ACCEPT"; done; echo COMMIT; } > "$work/big.v4"
check "large file" 0 "$tool" translate "$work/big.v4"
cp "$work/out" "$work/big-file.nft"
check "large input through a pipe" 0 sh -c "cat \"$work/big.v4\" | \"$tool\" translate -"
cmp -s "$work/out" "$work/big-file.nft" && [[ $(grep -c "counter accept" "$work/out") == 4000 ]] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL large piped input: $(grep -c "counter accept" "$work/out") rules"; }
# A user at its process limit can start no thread: the same script, read and printed without.
if [[ $(id -u) == 0 ]]; then
    # The other user may not reach the build's folder (a clone under a directory only root may
    # enter): it runs a copy of the tool, beside its input.
    chmod 755 "$work" && chmod 644 "$work/big.v4" && cp "$tool" "$work/ipt2nft" && chmod 755 "$work/ipt2nft"
    check "no threads allowed" 0 env ASAN_OPTIONS=detect_leaks=0 setpriv --reuid=nobody --regid=nogroup --clear-groups \
        prlimit --nproc=1 "$work/ipt2nft" translate "$work/big.v4"
    cmp -s "$work/out" "$work/big-file.nft" && pass=$((pass + 1)) ||
        { fail=$((fail + 1)); echo "FAIL without threads another script: $(head -c 300 "$work/err")"; }
else
    echo "SKIP no threads allowed: needs root to run the tool as another user with a process limit"
fi
echo old > "$work/keep.nft"
check "-o on errors" 1 "$tool" translate "$work/bad.v4" -o "$work/keep.nft"
[[ $(cat "$work/keep.nft") == old && -z $(ls "$work" | grep tmp) ]] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o on errors changed the file or left a temporary"; }
check "-o" 0 "$tool" translate "$corpus/translate/basic-host.v4" -o "$work/keep.nft"
cmp -s "$work/keep.nft" <("$tool" translate "$corpus/translate/basic-host.v4" 2>/dev/null) && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o content differs from stdout"; }
# Replacing keeps the file's permissions and a symbolic link; a directory or a device is not
# replaced by a file (as root, a rename over /dev/full would succeed).
chmod 750 "$work/keep.nft"
ln -s keep.nft "$work/link.nft"
check "-o through a symbolic link" 0 "$tool" translate "$corpus/translate/basic-host.v4" -o "$work/link.nft"
[[ -L $work/link.nft && $(stat -c %a "$work/keep.nft") == 750 ]] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o replaced the link or changed the permissions: $(ls -l "$work")"; }
check "-o a directory" 1 "$tool" translate "$corpus/translate/basic-host.v4" -o "$work"
grep -q "cannot write '$work': Is a directory" "$work/err" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o a directory message: $(cat "$work/err")"; }
if [[ -w /dev/full ]]; then
    check "-o a full device" 1 "$tool" translate "$corpus/translate/basic-host.v4" -o /dev/full
    [[ -c /dev/full ]] && grep -q "cannot write '/dev/full': No space left on device" "$work/err" &&
        pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL -o /dev/full: $(cat "$work/err"); $(ls -l /dev/full)"; }
fi
check "-o a pipe" 0 sh -c "\"$tool\" translate \"$corpus/translate/basic-host.v4\" -o /dev/stdout | cat"
cmp -s "$work/out" "$work/keep.nft" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o /dev/stdout through a pipe wrote another script"; }
printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.2.3/32 -j ACCEPT\nCOMMIT\n' > "$work/shadow.v4"
check "lint with a finding" 1 "$tool" lint "$work/shadow.v4"
grep -q "shadow.v4:4:1: warning: .* \[shadowed-rule\]" "$work/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL lint prints: $(cat "$work/out")"; }
check "lint --fail-on error" 0 "$tool" lint --fail-on error "$work/shadow.v4"
check "lint --disable" 0 "$tool" lint --disable shadowed-rule "$work/shadow.v4"
check "lint --disable a typo" 1 "$tool" lint --disable shadowed-rul "$work/shadow.v4"
grep -q "did you mean 'shadowed-rule'" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL lint --disable typo: $(cat "$work/err")"; }
check "lint --keep with a wrong service" 2 "$tool" lint --keep tcp/70000 "$work/shadow.v4"
check "lint of a clean file" 0 "$tool" lint "$corpus/sim/router.v4"
check "lint of rules with errors" 1 "$tool" lint "$work/bad.v4"
check "lint --format=json" 1 "$tool" lint --format=json "$work/shadow.v4"
python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))[0]; assert (f["code"], f["line"], f["column"], f["related"][0]["line"]) == ("shadowed-rule", 4, 1, 3), f' "$work/out" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL lint --format=json prints: $(head -c 300 "$work/out")"; }
check "lint --format=sarif" 1 "$tool" lint --format=sarif "$work/shadow.v4"
python3 -c '
import json, sys
s = json.load(open(sys.argv[1])); run = s["runs"][0]; r = run["results"][0]
assert s["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "ipt2nft"
assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] == "shadowed-rule" and r["level"] == "warning"
loc = r["locations"][0]["physicalLocation"]
assert loc["region"] == {"startLine": 4, "startColumn": 1} and not loc["artifactLocation"]["uri"].startswith("/")
assert r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 3' "$work/out" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL lint --format=sarif prints: $(head -c 600 "$work/out")"; }
check "an abbreviated option" 0 "$tool" translate --no-count "$corpus/translate/basic-host.v4"
check "an ambiguous abbreviation" 2 "$tool" translate --no "$corpus/translate/basic-host.v4"
grep -q "'--no' could be --no-counters or --noflush" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL ambiguous option: $(cat "$work/err")"; }
check "a misspelt option" 2 "$tool" translate --no-counterz "$corpus/translate/basic-host.v4"
[[ $(wc -l < "$work/err") == 2 ]] && grep -q "did you mean '--no-counters'" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL misspelt option: $(cat "$work/err")"; }
check "a misspelt tool option" 2 "$tool" --verison
grep -q "did you mean '--version'" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --verison: $(cat "$work/err")"; }
check "a misspelt command" 2 "$tool" trnaslate "$corpus/translate/basic-host.v4"
grep -q "did you mean 'translate'" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL misspelt command: $(cat "$work/err")"; }
check "help" 0 "$tool" help
check "help lint" 0 "$tool" help lint
grep -q "^Usage: lint" "$work/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL help lint: $(head -3 "$work/out")"; }
check "help of a misspelt command" 2 "$tool" help lnt
# Colour: compilers' colours with --color=always (before or after the command), none in a pipe by
# default, on a terminal (script(1) gives one) unless NO_COLOR is set, --color=never there too.
esc=$'\e'
check "--color=always" 1 "$tool" translate --color=always "$work/bad.v4"
grep -q "${esc}\[1m${esc}\[31merror" "$work/err" && grep -q "${esc}\[1m${esc}\[32m\^" "$work/err" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --color=always: $(cat -v "$work/err")"; }
check "the tool's --color before the command" 1 "$tool" --col=always translate "$work/bad.v4"
grep -q "$esc" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --col=always first: $(cat -v "$work/err")"; }
check "no colour in a pipe" 1 "$tool" translate "$work/bad.v4"
! grep -q "$esc" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL colour in a pipe: $(cat -v "$work/err")"; }
check "an unknown --color" 2 "$tool" translate --color=blue "$work/bad.v4"
on_terminal() { env "$@" TERM=xterm script -qec "\"$tool\" translate $color \"$work/bad.v4\"" /dev/null > "$work/tty" 2>&1; }
color="" on_terminal; grep -q "$esc\[1m" "$work/tty" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL no colour on a terminal: $(cat -v "$work/tty")"; }
color="" on_terminal NO_COLOR=1; ! grep -q "$esc\[1m" "$work/tty" && grep -q "error:" "$work/tty" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL NO_COLOR: $(cat -v "$work/tty")"; }
color="--color=never" on_terminal; ! grep -q "$esc\[1m" "$work/tty" && grep -q "error:" "$work/tty" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL --color=never on a terminal: $(cat -v "$work/tty")"; }
check "--rename-chain" 0 "$tool" translate --rename-chain reject=fw_reject --rename-chain zone_lan:input=lan_in \
    "$corpus/translate/keyword-chain-names.v4"
grep -q "jump fw_reject" "$work/out" && grep -q "chain lan_in" "$work/out" && grep -q "reject -> fw_reject" "$work/err" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --rename-chain: $(cat "$work/out" "$work/err")"; }
check "--rename-chain without NEW" 2 "$tool" translate --rename-chain reject "$corpus/translate/keyword-chain-names.v4"
printf '*filter\n:X - [0:0]\n-A INPUT -j X\nCOMMIT\n' > "$work/kernel-chain.v4"
check "--rename-chain of a chain the kernel may hold" 1 "$tool" translate --noflush --rename-chain X=Y "$work/kernel-chain.v4"
grep -q "\[rename-kernel-chain\]" "$work/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL rename under --noflush: $(cat "$work/err")"; }
check "--rename-chain to a keyword" 1 "$tool" translate --rename-chain reject=counter "$corpus/translate/keyword-chain-names.v4"
check "-o /dev/stdout when stdout is a file" 0 sh -c "\"$tool\" translate \"$corpus/translate/basic-host.v4\" -o /dev/stdout >> \"$work/appended\""
[[ -z $(ls "$work" | grep tmp) ]] && cmp -s "$work/appended" "$work/keep.nft" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o /dev/stdout to a file: $(ls "$work")"; }
echo "cli: $pass passed, $fail failed"
[[ $fail == 0 ]]
