#!/usr/bin/env bash
# Installs the Debian packages ipt2nft builds, tests and benchmarks with (run as root).
set -euo pipefail
echo "== Installing the Debian packages ipt2nft builds, tests and benchmarks with"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  g++ clang libclang-rt-14-dev cmake make pkg-config python3 netbase tao-pegtl-dev libnftnl-dev libmnl-dev libfmt-dev doctest-dev libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libpcap-dev libbdd-dev libabsl-dev \
  nftables iptables ipset iproute2 time man-db groff-base dpkg-dev file zsh
