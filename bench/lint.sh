#!/usr/bin/env bash
# Benchmark: ipt2nft lint against ipt2nft translate of the same file, in one run: kube-proxy with
# 10,000 services of 3 endpoints (the generator's mix, session affinity included) and the largest
# real ruleset of the corpus; best of N by wall time, with peak memory beside the input's size.
# usage: bench/lint.sh [build/ipt2nft] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-build/ipt2nft}
runs=${2:-3}
generator=../shared/corpus/gen-kube-proxy.py
real=../shared/corpus/real/ugent.v4
[[ -f $generator && -f $real ]] || { echo "bench: ../shared is missing"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$generator" --services 10000 --endpoints 3 --seed 1 > "$work/kube.v4"

best() {  # command...: prints "wall_seconds kib" of the fastest of $runs runs
    local best_w="" best_k="" w k start
    for _ in $(seq "$runs"); do
        start=$EPOCHREALTIME
        /usr/bin/time -o "$work/time" -f "%M" "$@" > /dev/null 2> /dev/null || true
        w=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
        k=$(cat "$work/time" | tail -1)
        if [[ -z $best_w ]] || awk -v a="$w" -v b="$best_w" 'BEGIN { exit !(a < b) }'; then best_w=$w; best_k=$k; fi
    done
    echo "$best_w $best_k"
}

echo "| input | rules | translate s | lint s | lint / translate | lint peak RSS | input size |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for input in "$work/kube.v4" "$real"; do
    read -r tw _ < <(best "$tool" translate "$input")
    read -r lw lk < <(best "$tool" lint "$input")
    rules=$(grep -c '^-A' "$input")
    kib=$(( $(wc -c < "$input") / 1024 ))
    name=$([[ $input == "$real" ]] && basename "$input" || echo "kube-proxy 10k")
    echo "| $name | $rules | $tw | $lw | $(awk -v a="$lw" -v b="$tw" 'BEGIN { printf "%.1f", a / b }') | $lk KiB | $kib KiB |"
done
