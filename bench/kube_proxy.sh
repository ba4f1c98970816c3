#!/usr/bin/env bash
# Benchmark: ipt2nft translate against iptables-restore-translate -f on the same generated
# kube-proxy ruleset, in one run; prints best-of-N CPU and wall time, peak memory, and the ratios,
# beside the floor of any translator on this machine: read_floor (built beside ipt2nft), which
# reads the file and writes its words back on every hardware thread, translating nothing.
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

# Best of $runs by wall time, printed as "wall_seconds cpu_seconds kib". ipt2nft reads a save
# file on every hardware thread, so its CPU time (user + system) is shown beside: the wall time
# is what a user waits, the CPU time what the work costs. /usr/bin/time counts wall time in
# hundredths, too coarse for the floor: the wall time is taken from bash's clock around it.
measure() {
    local best_w="" best_c="" best_k="" w u s k c start
    for _ in $(seq "$runs"); do
        start=$EPOCHREALTIME
        /usr/bin/time -o "$work/time" -f "%U %S %M" "$@" > /dev/null 2> /dev/null || true
        w=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
        read -r u s k < "$work/time"
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        if [[ -z $best_w ]] || awk "BEGIN{exit !($w < $best_w)}"; then best_w=$w; best_c=$c; best_k=$k; fi
    done
    echo "$best_w $best_c $best_k"
}
# The incumbent comments out what it cannot translate (kube-proxy's `-m recent` rules); ipt2nft
# translates them all.
read -r ours_w ours_c ours_k < <(measure "$tool" translate "$work/rules.v4")
read -r theirs_w theirs_c theirs_k < <(measure iptables-restore-translate -f "$work/rules.v4")
floor=$(dirname "$tool")/read_floor
[[ -x $floor ]] || { echo "bench: $floor is not built (cmake --build build --target read_floor)"; exit 1; }
read -r floor_w floor_c floor_k < <(measure "$floor" "$work/rules.v4")
echo "input: $lines lines, $bytes bytes (gen-kube-proxy.py --services $services --endpoints 3 --seed 1)"
printf '%-32s %12s %12s %14s\n' program "CPU seconds" "wall seconds" "peak RSS KiB"
printf '%-32s %12s %12s %14s\n' "ipt2nft translate" "$ours_c" "$ours_w" "$ours_k"
printf '%-32s %12s %12s %14s\n' "iptables-restore-translate -f" "$theirs_c" "$theirs_w" "$theirs_k"
printf '%-32s %12s %12s %14s\n' "read_floor (translates nothing)" "$floor_c" "$floor_w" "$floor_k"
awk -v threads="$(nproc)" -v a="$ours_c" -v b="$theirs_c" -v aw="$ours_w" -v bw="$theirs_w" -v k="$ours_k" -v n="$bytes" \
    'BEGIN { printf "speed-up: %.2fx in wall time, %.2fx in CPU time (%d hardware threads); ipt2nft peak memory: %.2fx the input size\n", bw / aw, b / a, threads, k * 1024 / n }'
awk -v fw="$floor_w" -v bw="$theirs_w" \
    'BEGIN { printf "the floor: %.1fx faster than iptables-restore-translate in wall time; 20x leaves %.3f s for translating\n", bw / fw, bw / 20 - fw }'
