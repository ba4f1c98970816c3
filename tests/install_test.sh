#!/usr/bin/env bash
# `cmake --install` places the binary, the man page and the bash completion; the man page renders
# without a warning and names every long option the commands take; the completion completes
# commands, options read from --help, and option values.
set -u
build=$1; source_dir=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
cmake --install "$build" --prefix "$work/usr" > /dev/null || bad "cmake --install"
tool=$work/usr/bin/ipt2nft
page=$work/usr/share/man/man8/ipt2nft.8.gz
completion=$work/usr/share/bash-completion/completions/ipt2nft
for f in "$tool" "$page" "$completion"; do [[ -f $f ]] && ok || bad "not installed: ${f#"$work"}"; done
"$tool" --version | grep -q '^ipt2nft [0-9]' && ok || bad "the installed binary's --version"
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" > "$work/page.txt" 2> "$work/warnings"
[[ ! -s $work/warnings && $(wc -l < "$work/page.txt") -gt 100 ]] && ok || bad "man -l: $(head -5 "$work/warnings")"
for command in translate apply sim test lint; do
    for option in $("$tool" "$command" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' ' '); do
        [[ $option == -h ]] && continue
        zcat "$page" | grep -q -- "${option//-/\\\\-}" && ok || bad "the man page does not name $command's $option"
    done
done
# shellcheck source=/dev/null
source "$completion"
complete_words() {
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ipt2nft; echo "${COMPREPLY[*]}"
}
expect() {  # expected completions, then the words typed
    local want=$1; shift
    local got; got=$(complete_words "$@")
    [[ $got == "$want" ]] && ok || bad "completing '$*': '$got', expected '$want'"
}
PATH=$work/usr/bin:$PATH
expect "translate test" ipt2nft t
expect "--format --fail-on" ipt2nft lint --f
expect "text json sarif" ipt2nft lint --format ""
expect "nft netlink ir" ipt2nft translate --format ""
expect "auto always" ipt2nft --color a
expect "--noflush" ipt2nft apply --nof
echo "install: $pass passed, $fail failed"
[[ $fail == 0 ]]
