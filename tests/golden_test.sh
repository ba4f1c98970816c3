#!/usr/bin/env bash
# Golden runner: each corpus input's stdout must equal <name>.nft and its stderr <name>.err.
# IPT2NFT_BLESS=1 rewrites the expectations from the current output.
set -u
tool=$1; corpus=$2
pass=0; fail=0
for input in $(find "$corpus" -type f \( -name '*.v4' -o -name '*.v6' -o -name '*.sh' \) | sort); do
    base=${input%.*}
    args=()
    [[ $input == *.v6 ]] && args+=(-6)
    out=$(cd "$(dirname "$input")" && "$tool" translate "${args[@]}" "$(basename "$input")" 2>/tmp/golden.err.$$)
    status=$?
    err=$(cat /tmp/golden.err.$$)
    if [[ ${IPT2NFT_BLESS:-0} == 1 ]]; then
        if [[ $status == 0 ]]; then printf '%s\n' "$out" > "$base.nft"; else rm -f "$base.nft"; fi
        if [[ -n $err ]]; then printf '%s\n' "$err" > "$base.err"; else rm -f "$base.err"; fi
        continue
    fi
    ok=1
    if [[ -f $base.nft ]]; then
        [[ $status == 0 ]] || { echo "FAIL $input: exit $status, expected 0"; ok=0; }
        diff -u "$base.nft" <(printf '%s\n' "$out") || ok=0
    else
        [[ $status == 1 ]] || { echo "FAIL $input: exit $status, expected 1 (no .nft file)"; ok=0; }
    fi
    if [[ -f $base.err ]]; then diff -u "$base.err" <(printf '%s\n' "$err") || ok=0
    elif [[ -n $err ]]; then echo "FAIL $input: unexpected stderr:"; echo "$err"; ok=0; fi
    if [[ $ok == 1 ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $input"; fi
done
rm -f /tmp/golden.err.$$
echo "golden: $pass passed, $fail failed"
[[ $fail == 0 && $((pass + fail)) -gt 0 ]] || [[ ${IPT2NFT_BLESS:-0} == 1 ]]
