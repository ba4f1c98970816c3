#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs them for a bounded time: fuzz_parse on a seed
# corpus made from corpus/ for SECONDS, fuzz_compiled on those rules compiled (translate
# --format=sim) for half as long. A crash leaves its input in fuzz/crashes/ (add it to corpus/ as
# a regression).
# usage: fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DIPT2NFT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build-fuzz -j2 --target fuzz_parse fuzz_compiled ipt2nft
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/rules" "$seeds/compiled" fuzz/crashes
find corpus -type f \( -name '*.v4' -o -name '*.v6' -o -name '*.sh' \) -exec cp {} "$seeds/rules/" \;
for rules in "$seeds"/rules/*.v4 "$seeds"/rules/*.v6; do
    ./build-fuzz/ipt2nft translate --format=sim -o "$seeds/compiled/$(basename "$rules").sim" "$rules" 2> /dev/null || true
done

# TARGET SECONDS MAX_LEN SEEDS
run_target() {
    local log=build-fuzz/$1.log
    if ./build-fuzz/"$1" -max_total_time="$2" -max_len="$3" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix=fuzz/crashes/ -print_final_stats=1 "$4" > "$log" 2>&1; then
        grep -E '^(Done|stat::)' "$log"
        echo "fuzz: $1: no crash, no hang, no sanitizer report in $2 seconds"
    else
        tail -n 60 "$log"
        echo "fuzz: $1: a crash, hang or sanitizer report; the input is in fuzz/crashes/"
        exit 1
    fi
}
run_target fuzz_parse "$seconds" 4096 "$seeds/rules"
# Compiled files are larger: the corpus's smallest are a few kilobytes.
run_target fuzz_compiled $((seconds / 2)) 16384 "$seeds/compiled"
