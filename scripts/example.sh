#!/usr/bin/env bash
# Set-up, build, and translate the bundled example ruleset.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build
cmake --build build -j2 --target ipt2nft
./build/ipt2nft translate corpus/translate/router-nat.v4
