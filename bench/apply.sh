#!/usr/bin/env bash
# Benchmark: ipt2nft apply against nft -f of the translated script and iptables-nft-restore of the
# original, on the same generated kube-proxy ruleset, each into a fresh network namespace, in one
# run; beside them the kernel's own share (send_share: sending a batch built beforehand). Prints
# the best of N wall times, peak memory and the ratios. Needs root.
# usage: bench/apply.sh [build/ipt2nft] [services] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-build/ipt2nft}
services=${2:-10000}
runs=${3:-3}
generator=../shared/corpus/gen-kube-proxy.py
[[ -f $generator ]] || { echo "bench: $generator is not present (../shared is missing)"; exit 1; }
share=$(dirname "$tool")/send_share
[[ -x $share ]] || { echo "bench: $share is not built (cmake --build build --target send_share)"; exit 1; }
work=$(mktemp -d)
ns=ipt2nft-bench-$$
trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"' EXIT
# The generator's own mix of services, session affinity (`-m recent`) included.
python3 "$generator" --services "$services" --endpoints 3 --seed 1 > "$work/rules.v4"
"$tool" translate "$work/rules.v4" > "$work/rules.nft"
rules=$(grep -c '^-A' "$work/rules.v4")

# Best of $runs by wall time, each into a fresh namespace: "wall_seconds kib".
measure() {
    local best_w="" best_k="" w k start
    for _ in $(seq "$runs"); do
        ip netns add "$ns"
        start=$EPOCHREALTIME
        /usr/bin/time -o "$work/time" -f "%M" "${@//NS/$ns}" > /dev/null 2> "$work/err" ||
            { echo "bench: $* failed: $(head -c 300 "$work/err")"; exit 1; }
        w=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
        ip netns del "$ns"
        k=$(cat "$work/time")
        if [[ -z $best_w ]] || awk "BEGIN{exit !($w < $best_w)}"; then best_w=$w; best_k=$k; fi
    done
    echo "$best_w $best_k"
}
kernel_share() {
    local best="" s
    for _ in $(seq "$runs"); do
        ip netns add "$ns"
        s=$("$share" "$work/rules.v4" "$ns")
        ip netns del "$ns"
        if [[ -z $best ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
    done
    printf '%.3f' "$best"
}
read -r ours_w ours_k < <(measure "$tool" apply --netns NS "$work/rules.v4")
read -r nft_w nft_k < <(measure ip netns exec NS nft -f "$work/rules.nft")
read -r restore_w restore_k < <(measure ip netns exec NS iptables-nft-restore "$work/rules.v4")
share_w=$(kernel_share)
echo "input: $rules rules (gen-kube-proxy.py --services $services --endpoints 3 --seed 1)"
printf '%-44s %12s %14s\n' program "wall seconds" "peak RSS KiB"
printf '%-44s %12s %14s\n' "ipt2nft apply" "$ours_w" "$ours_k"
printf '%-44s %12s %14s\n' "nft -f (the translated script)" "$nft_w" "$nft_k"
printf '%-44s %12s %14s\n' "iptables-nft-restore (the save file)" "$restore_w" "$restore_k"
printf '%-44s %12s %14s\n' "the kernel's share (a prebuilt batch sent)" "$share_w" "-"
awk -v a="$ours_w" -v n="$nft_w" -v r="$restore_w" -v s="$share_w" \
    'BEGIN { printf "apply: %.2fx faster than nft -f, %.2fx faster than iptables-nft-restore, %.2fx the kernel'"'"'s share\n", n / a, r / a, a / s }'
