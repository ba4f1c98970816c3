#!/usr/bin/env bash
# `cmake --install` places the binary, the man page and the bash and zsh completions; the man page
# renders without a warning and names every long option the commands take; each completion
# completes commands, options read from --help, and option values.
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
zsh_completion=$work/usr/share/zsh/vendor-completions/_ipt2nft
for f in "$tool" "$page" "$completion" "$zsh_completion"; do [[ -f $f ]] && ok || bad "not installed: ${f#"$work"}"; done
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
expect "json sarif text" ipt2nft lint --format ""
expect "nft json netlink ir sim" ipt2nft translate --format ""
expect "auto always" ipt2nft --color a
expect "never" ipt2nft translate --color n
expect "--noflush" ipt2nft apply --nof
# zsh: the completion function run with zsh's completion builtins replaced by ones that print
# what they are offered.
zsh_offers() {
    zsh -f -c 'compadd() { [[ $1 == -- ]] && shift; print -r -- "$*"; }
        _describe() { local -a list; list=(${(P)${@[-1]}}); print -r -- "${(j:|:)list}"; }
        _files() { print -r -- "(files)"; }
        words=("${@:2}"); CURRENT=$#words; PREFIX=$words[-1]; source "$1"' zsh "$zsh_completion" "$@" | tail -n 1
}
zsh_expect() {  # expected output (a pattern), then the words typed
    local want=$1; shift
    local got; got=$(zsh_offers "$@")
    [[ $got == $want ]] && ok || bad "zsh completing '$*': '$got', expected '$want'"
}
zsh_expect "translate:iptables-save files*|test:firewall unit tests*" ipt2nft t
zsh_expect "nft json netlink ir sim" ipt2nft translate --format ""
zsh_expect "json sarif text" ipt2nft lint --format ""
zsh_expect "auto always never" ipt2nft --color ""
zsh_expect "*--noflush:add to the kernel's tables instead of replacing them|--inet:an ip and an ip6 table*|--check:let the kernel validate*" ipt2nft apply --
zsh_expect "(files)" ipt2nft apply ru
echo "install: $pass passed, $fail failed"
[[ $fail == 0 ]]
