#!/usr/bin/env bash
# Set-up, build, and translate the bundled example ruleset.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== ipt2nft example: install the Debian packages, build, translate corpus/translate/router-nat.v4"
bash scripts/setup.sh
cmake -S . -B build
cmake --build build -j2 --target ipt2nft
./build/ipt2nft translate corpus/translate/router-nat.v4
echo "== The program is $PWD/build/ipt2nft (cmake --install build installs it with its manual page)."
echo "== Next: build/ipt2nft lint corpus/translate/router-nat.v4, or build/ipt2nft help"
