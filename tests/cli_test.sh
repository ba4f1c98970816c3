#!/usr/bin/env bash
# CLI contract: exit statuses 0/1/2, -o written atomically (never partial, old file kept on
# errors), stdin input, -c.
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
check "missing file" 1 "$tool" translate "$work/none.v4"
check "stdin" 0 sh -c "\"$tool\" translate - < \"$corpus/translate/basic-host.v4\""
check "-c" 0 "$tool" translate -c "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE"
grep -qx "nft 'add rule ip nat POSTROUTING oifname \"eth0\" counter masquerade'" "$work/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -c output: $(cat "$work/out")"; }
echo old > "$work/keep.nft"
check "-o on errors" 1 "$tool" translate "$work/bad.v4" -o "$work/keep.nft"
[[ $(cat "$work/keep.nft") == old && -z $(ls "$work" | grep tmp) ]] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o on errors changed the file or left a temporary"; }
check "-o" 0 "$tool" translate "$corpus/translate/basic-host.v4" -o "$work/keep.nft"
cmp -s "$work/keep.nft" <("$tool" translate "$corpus/translate/basic-host.v4" 2>/dev/null) && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL -o content differs from stdout"; }
echo "cli: $pass passed, $fail failed"
[[ $fail == 0 ]]
