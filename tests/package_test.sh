#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` in the build directory, its dependencies read from the
# binary's libraries, installed with apt on this machine (as root: scripts/test.sh runs it on CI's
# fresh machine), the installed tool's --version and a translation, the manual page and completions
# it holds; then removed again.
set -euo pipefail
build=$(realpath "$1"); source_dir=$(realpath "$2")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work" > "$work/cpack.log") || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/ipt2nft_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for library in libnftnl libmnl libfmt libbdd libyaml-cpp libpcap; do
    [[ $depends == *"$library"* ]] || { echo "FAIL the package does not depend on $library: $depends"; exit 1; }
done
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" > "$work/apt.log" ||
    { cat "$work/apt.log"; exit 1; }
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y ipt2nft > /dev/null; rm -rf "$work"' EXIT
[[ $(/usr/bin/ipt2nft --version) == "ipt2nft "* ]] || { echo "FAIL the installed ipt2nft --version"; exit 1; }
/usr/bin/ipt2nft translate "$source_dir/corpus/translate/router-nat.v4" | cmp -s - "$source_dir/corpus/translate/router-nat.nft" ||
    { echo "FAIL the installed ipt2nft translates router-nat.v4 otherwise than its golden"; exit 1; }
# As the package lists them (a machine may be set to leave manual pages out of what dpkg unpacks).
for f in /usr/share/man/man8/ipt2nft.8.gz /usr/share/bash-completion/completions/ipt2nft /usr/share/zsh/vendor-completions/_ipt2nft; do
    dpkg -L ipt2nft | grep -qx "$f" || { echo "FAIL the package does not hold $f"; exit 1; }
done
dpkg-deb -x "$deb" "$work/unpacked"
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$work/unpacked/usr/share/man/man8/ipt2nft.8.gz" 2>&1 > /dev/null |
    { ! grep . ; } || { echo "FAIL the packaged manual page renders with warnings"; exit 1; }
echo "package: $(basename "$deb") installed and ran; Depends: $depends"
