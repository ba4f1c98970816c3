#!/usr/bin/env bash
# Builds the libFuzzer target with clang and runs it for a bounded time on a seed corpus made
# from corpus/; a crash leaves its input in fuzz/crashes/ (add it to corpus/ as a regression).
# usage: fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DIPT2NFT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build-fuzz -j2 --target fuzz_parse
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
find corpus -type f \( -name '*.v4' -o -name '*.v6' -o -name '*.sh' \) -exec cp {} "$seeds/" \;
mkdir -p fuzz/crashes
log=build-fuzz/fuzz.log
if ./build-fuzz/fuzz_parse -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=fuzz/crashes/ -print_final_stats=1 "$seeds" > "$log" 2>&1; then
    grep -E '^(Done|stat::)' "$log"
    echo "fuzz: no crash, no hang, no sanitizer report in $seconds seconds"
else
    tail -n 60 "$log"
    echo "fuzz: a crash, hang or sanitizer report; the input is in fuzz/crashes/"
    exit 1
fi
