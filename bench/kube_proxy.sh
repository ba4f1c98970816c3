#!/usr/bin/env bash
# Benchmark: ipt2nft translate against iptables-restore-translate -f on the same generated
# kube-proxy ruleset, in one run; prints best-of-N wall time and peak memory, and the ratios.
# usage: bench/kube_proxy.sh [build/ipt2nft] [services] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-build/ipt2nft}
services=${2:-10000}
runs=${3:-3}
generator=../shared/corpus/gen-kube-proxy.py
[[ -f $generator ]] || { echo "bench: $generator is not present (../shared is missing)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$generator" --services "$services" --endpoints 3 --seed 1 > "$work/rules.v4"
lines=$(wc -l < "$work/rules.v4")
bytes=$(wc -c < "$work/rules.v4")

# best of $runs, printed as "seconds kib"
measure() {
    local best_s="" best_k="" s k
    for _ in $(seq "$runs"); do
        /usr/bin/time -o "$work/time" -f "%e %M" "$@" > /dev/null 2> /dev/null || true
        read -r s k < "$work/time"
        if [[ -z $best_s ]] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; best_k=$k; fi
    done
    echo "$best_s $best_k"
}
# The incumbent comments out what it cannot translate; ipt2nft does so only when allowed, and
# kube-proxy's `-m recent` rules are outside its current scope.
read -r ours_s ours_k < <(measure "$tool" translate --allow-untranslated "$work/rules.v4")
read -r theirs_s theirs_k < <(measure iptables-restore-translate -f "$work/rules.v4")
echo "input: $lines lines, $bytes bytes (gen-kube-proxy.py --services $services --endpoints 3 --seed 1)"
printf '%-32s %10s %14s\n' program seconds "peak RSS KiB"
printf '%-32s %10s %14s\n' "ipt2nft translate" "$ours_s" "$ours_k"
printf '%-32s %10s %14s\n' "iptables-restore-translate -f" "$theirs_s" "$theirs_k"
awk -v a="$ours_s" -v b="$theirs_s" -v k="$ours_k" -v n="$bytes" \
    'BEGIN { printf "speed-up: %.2fx; ipt2nft peak memory: %.2fx the input size\n", b / a, k * 1024 / n }'
