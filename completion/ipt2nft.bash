# bash completion for ipt2nft: its commands, each command's options (read from its --help, so
# they never drift), the values of the options that take a fixed set, and file names.
_ipt2nft() {
    local cur prev command="" i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            translate | apply | sim | test | lint | help) command=${COMP_WORDS[i]}; break ;;
        esac
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
            COMPREPLY=($(compgen -W "translate apply sim test lint help" -- "$cur"))
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
