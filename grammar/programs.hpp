// The programs a script runs, by name with or without directory: iptables, and what else there is.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "grammar/word.hpp"
#include "ir/command.hpp"

namespace ipt2nft::grammar {

// A command's program without its directory: `/sbin/iptables` is `iptables`.
std::string_view program_name(std::string_view word);
// The family of iptables, ip6tables and their -nft and -legacy names; nothing for other programs.
std::optional<Family> program_family(std::string_view word);
// Programs that load a whole ruleset from a file or stdin (iptables-restore and the like).
bool loads_ruleset(std::string_view word);
// Why a command changes the kernel's ruleset from outside the script, if it does: nft, ufw,
// firewall-cmd, services that load a ruleset on start (`systemctl restart netfilter-persistent`,
// `service iptables start`, docker's), a shell running other commands, eval, xargs, a trap that
// runs iptables, any other program running an iptables command that changes the ruleset (strace,
// ssh). The words from `program` on are the command.
std::optional<std::string> loads_ruleset_elsewhere(const Words& command, size_t program);
// Programs that change nothing a firewall script is about: they print, wait or do nothing
// (true, :, echo, printf, sleep, logger).
bool only_prints_or_waits(std::string_view word);
// The program a command substitution looks up, when it only finds where an iptables program is
// (`$(which iptables)`, `` `command -v ip6tables` ``, `$(type -P iptables-restore)`): the
// shell gives its path, which runs that program. `substitution` is written as in the script.
std::optional<std::string_view> looked_up_program(std::string_view substitution);

}  // namespace ipt2nft::grammar
