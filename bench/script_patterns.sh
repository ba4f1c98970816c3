#!/usr/bin/env bash
# Benchmark: ipt2nft translate on command scripts that repeat one pattern n and 2n times (block
# lists, idempotent checks, teardowns); prints the wall time of each and the ratio, which stays
# near 2 when the replay's cost grows with the script's length and not its square.
# usage: bench/script_patterns.sh [build/ipt2nft] [n]
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-build/ipt2nft}
n=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# generate PATTERN COUNT > file: one script of COUNT repetitions of PATTERN.
generate() {
    python3 - "$1" "$2" <<'EOF'
import sys
pattern, count = sys.argv[1], int(sys.argv[2])
def addr(i): return f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"
out = []
if pattern == "insert-top":
    out = [f"iptables -I INPUT -s {addr(i)} -j DROP" for i in range(count)]
elif pattern == "check-or-append":
    out = [f"iptables -C INPUT -s {addr(i)} -j DROP 2>/dev/null || iptables -A INPUT -s {addr(i)} -j DROP"
           for i in range(count)]
elif pattern == "check-or-insert-second":
    out = ["iptables -A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT"]
    out += [f"iptables -C INPUT -s {addr(i)} -j DROP 2>/dev/null || iptables -I INPUT 2 -s {addr(i)} -j DROP"
            for i in range(count)]
elif pattern == "delete-then-append":
    for i in range(count):
        out += [f"iptables -D INPUT -s {addr(i)} -j DROP 2>/dev/null || true", f"iptables -A INPUT -s {addr(i)} -j DROP"]
elif pattern == "delete-from-end":
    out = [f"iptables -A INPUT -s {addr(i)} -j DROP" for i in range(count)]
    out += [f"iptables -D INPUT -s {addr(i)} -j DROP" for i in reversed(range(count))]
elif pattern == "delete-first":
    out = [f"iptables -A INPUT -s {addr(i)} -j DROP" for i in range(count)]
    out += ["iptables -D INPUT 1"] * count
elif pattern == "chain-teardown":
    for i in range(count):
        out += [f"iptables -N C{i}", f"iptables -A C{i} -s {addr(i)} -j ACCEPT",
                f"iptables -A INPUT -p tcp --dport {i % 65535 + 1} -j C{i}"]
    for i in range(count):
        out += [f"iptables -D INPUT -p tcp --dport {i % 65535 + 1} -j C{i}", f"iptables -F C{i}", f"iptables -X C{i}"]
elif pattern == "chain-rename":
    out = [f"iptables -N C{i}" for i in range(count)]
    out += [f"iptables -A C{i} -s {addr(i)} -j ACCEPT" for i in range(count)]
    out += [f"iptables -E C{i} R{i}" for i in range(count)]
print("\n".join(out))
EOF
}

seconds() {
    /usr/bin/time -o "$work/time" -f "%e" "$tool" translate "$1" > /dev/null 2> /dev/null || true
    cat "$work/time"
}

printf '%-24s %10s %10s %8s\n' pattern "n=$n" "n=$((2 * n))" ratio
for pattern in insert-top check-or-append check-or-insert-second delete-then-append delete-from-end delete-first chain-teardown chain-rename; do
    generate "$pattern" "$n" > "$work/one.sh"
    generate "$pattern" $((2 * n)) > "$work/two.sh"
    one=$(seconds "$work/one.sh")
    two=$(seconds "$work/two.sh")
    awk -v p="$pattern" -v a="$one" -v b="$two" 'BEGIN { printf "%-24s %10.2f %10.2f %8.1f\n", p, a, b, (a > 0 ? b / a : 0) }'
done
