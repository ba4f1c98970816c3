# bash completion for ipt2nft: its commands, each command's options and the values of options
# that take a fixed set (all read from the tool's --help, so they never drift), and file names.
_ipt2nft() {
    local cur prev command="" commands values i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    commands=$("${COMP_WORDS[0]}" --help 2> /dev/null | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z]*\) .*/\1/p' | tr '\n' ' ')
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ " $commands " == *" ${COMP_WORDS[i]} "* ]] && { command=${COMP_WORDS[i]}; break; }
    done
    if [[ $prev == -* ]]; then
        # An option's values as --help lists them (`TEXT:{nft,json}`, `ENUM:value in {text->0,json->1}`):
        # the command's, else the tool's (--color).
        values=$({ "${COMP_WORDS[0]}" ${command:+"$command"} --help; "${COMP_WORDS[0]}" --help; } 2> /dev/null |
            sed -n "s/^  \(-[^ ,]*,\)\{0,1\}$prev [A-Z][^{]*{\([^}]*\)}.*/\2/p" | head -n 1 | sed 's/->[0-9]*//g; s/,/ /g')
        [[ -n $values ]] && { COMPREPLY=($(compgen -W "$values" -- "$cur")); return; }
    fi
    case $prev in
        --netns) COMPREPLY=($(compgen -W "$(ls /run/netns 2> /dev/null)" -- "$cur")); return ;;
        --packet | --iface | --route | --keep | --disable | --confirm | --rename-chain | --run-arg | --run-env | --run-timeout | -c) return ;;
    esac
    if [[ -z $command || $command == help ]]; then
        if [[ $cur == -* && -z $command ]]; then
            COMPREPLY=($(compgen -W "--help --version --color" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        local options
        options=$("${COMP_WORDS[0]}" "$command" --help 2> /dev/null | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' ' ')
        COMPREPLY=($(compgen -W "$options --color" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _ipt2nft ipt2nft
