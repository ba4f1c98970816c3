#!/usr/bin/env bash
# Set-up, build with warnings as errors, run all tests; then again under ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DIPT2NFT_WERROR=ON
cmake --build build -j2
(cd build && ctest --output-on-failure)
cmake -S . -B build-sanitize -DIPT2NFT_WERROR=ON -DIPT2NFT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-sanitize -j2 --target unit_tests ipt2nft
(cd build-sanitize && ctest --output-on-failure -E 'kernel_differential|kernel_target_rules|kernel_reserved_names|conformance')
# A bounded fuzzing run of the parser entry points (libFuzzer, clang): a crash fails the run.
bash fuzz/run.sh 60
