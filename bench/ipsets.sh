#!/usr/bin/env bash
# Benchmark: a blocklist of N networks (hash:net, some nested) and N addresses (hash:ip) as an
# `ipset save` file with one rule each: ipt2nft translate; ipt2nft apply into a fresh namespace;
# nft -f of the translation; ipset-translate of the sets (the incumbent, which writes no rules);
# wall time and peak memory of each, best of three. apply and nft -f need root.
# usage: bench/ipsets.sh [build/ipt2nft] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-build/ipt2nft}
n=${2:-100000}
work=$(mktemp -d)
ns=ipt2nft-bench-ipsets
trap 'rm -rf "$work"; ip netns del "$ns" 2> /dev/null || true' EXIT

python3 - "$n" > "$work/sets.save" <<'EOF'
import random, sys
n = int(sys.argv[1])
random.seed(1)
print("create blocklist hash:net family inet hashsize 65536 maxelem 1000000")
seen = set()
while len(seen) < n:
    length = random.choice([32, 32, 28, 24, 16])
    seen.add((random.getrandbits(32) & (0xffffffff << (32 - length)) & 0xffffffff, length))
for address, length in sorted(seen):
    print(f"add blocklist {address >> 24}.{address >> 16 & 255}.{address >> 8 & 255}.{address & 255}/{length}")
print("create hosts hash:ip family inet maxelem 1000000")
for i in range(n):
    print(f"add hosts 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}")
EOF
printf '*filter\n-A INPUT -m set --match-set blocklist src -j DROP\n-A INPUT -m set --match-set hosts src -j DROP\nCOMMIT\n' \
    > "$work/rules.v4"
"$tool" translate "$work/sets.save" "$work/rules.v4" > "$work/rules.nft"

# best NAME COMMAND...: the best wall time and its peak memory of three runs.
best() {
    local name=$1 best_time="" best_memory=""
    shift
    for _ in 1 2 3; do
        if [[ $name == apply* || $name == nft* ]]; then
            ip netns del "$ns" 2> /dev/null || true
            ip netns add "$ns"
        fi
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
        read -r seconds kilobytes < "$work/time"
        if [[ -z $best_time ]] || awk "BEGIN { exit !($seconds < $best_time) }"; then
            best_time=$seconds best_memory=$kilobytes
        fi
    done
    printf '%-40s %6s s %8s KB\n' "$name" "$best_time" "$best_memory"
}

echo "$n networks and $n addresses ($(wc -l < "$work/sets.save") lines)"
best "ipt2nft translate" "$tool" translate "$work/sets.save" "$work/rules.v4"
best "ipset-translate restore (sets alone)" sh -c "ipset-translate restore < '$work/sets.save'"
if [[ $(id -u) == 0 ]]; then
    best "apply (fresh namespace)" "$tool" apply --netns "$ns" "$work/sets.save" "$work/rules.v4"
    best "nft -f of the translation" ip netns exec "$ns" nft -f "$work/rules.nft"
fi
