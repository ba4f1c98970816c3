# bash completion for ipt2nft: its commands and each command's options (read from the tool's
# --help, so they never drift), the values of the options that take a fixed set, and file names.
_ipt2nft() {
    local cur prev command="" commands i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    commands=$("${COMP_WORDS[0]}" --help 2> /dev/null | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z]*\) .*/\1/p' | tr '\n' ' ')
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ " $commands " == *" ${COMP_WORDS[i]} "* ]] && { command=${COMP_WORDS[i]}; break; }
    done
    case $prev in
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --format)
            case $command in
                translate) COMPREPLY=($(compgen -W "nft netlink ir" -- "$cur")) ;;
                sim) COMPREPLY=($(compgen -W "text json dot" -- "$cur")) ;;
                lint) COMPREPLY=($(compgen -W "text json sarif" -- "$cur")) ;;
            esac
            return ;;
        --fail-on) COMPREPLY=($(compgen -W "error warning note" -- "$cur")); return ;;
        --netns) COMPREPLY=($(compgen -W "$(ls /run/netns 2> /dev/null)" -- "$cur")); return ;;
        --packet | --iface | --route | --keep | --disable | --confirm | -c) return ;;
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
