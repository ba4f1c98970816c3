// The programs a script runs: iptables and its lookups, and what else changes the ruleset or nothing.
#include "grammar/programs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <vector>

#include "grammar/command_line.hpp"

namespace ipt2nft::grammar {

std::string_view program_name(std::string_view word) {
    auto slash = word.rfind('/');
    return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

std::optional<Family> program_family(std::string_view word) {
    word = program_name(word);
    if (word == "iptables" || word == "iptables-nft" || word == "iptables-legacy") return Family::ipv4;
    if (word == "ip6tables" || word == "ip6tables-nft" || word == "ip6tables-legacy") return Family::ipv6;
    return std::nullopt;
}

bool loads_ruleset(std::string_view word) {
    constexpr std::string_view loaders[] = {
        "iptables-restore",        "ip6tables-restore",        "iptables-nft-restore", "ip6tables-nft-restore",
        "iptables-legacy-restore", "ip6tables-legacy-restore", "iptables-apply",       "ip6tables-apply"};
    return std::find(std::begin(loaders), std::end(loaders), program_name(word)) != std::end(loaders);
}

std::optional<std::string> loads_ruleset_elsewhere(const Words& command, size_t program) {
    std::string_view name = program_name(command[program].text);
    if (name == "nft" || name == "ufw" || name == "firewall-cmd" || name == "ebtables" || name == "arptables")
        return fmt::format("{} changes the kernel's ruleset itself", name);
    constexpr std::string_view shells[] = {"sh",   "bash", "dash",    "ash", "ksh",
                                           "mksh", "zsh",  "busybox", "su",  "runuser"};
    if (std::find(std::begin(shells), std::end(shells), name) != std::end(shells))
        return fmt::format(
            "{} runs commands of its own (a script, or -c), which are not read here: translate a "
            "script as a file of its own (several files form one ruleset, in order)",
            command[program].text);
    if (name == "xargs") return std::string("xargs runs a command made from its input, which is not known here");
    auto after = command.begin() + static_cast<long>(program) + 1;
    if (name == "systemd-run" && std::any_of(after, command.end(), [](const Word& w) {
            return program_family(w.text) || loads_ruleset(w.text);
        }))
        return std::string(
            "systemd-run runs its command as a service of its own, when and in what order is not "
            "replayed here");
    if (command[program].text == "eval")
        return std::string("eval runs its words as a line of the shell, which is not replayed here");
    if (command[program].text == "trap" && std::any_of(after, command.end(), [](const Word& w) {
            return w.text.find("tables") != std::string_view::npos;
        }))
        return std::string(
            "trap runs its iptables command when the script ends or a signal comes, which is not "
            "replayed here");
    auto has = [&](std::initializer_list<std::string_view> words) {
        return std::any_of(after, command.end(), [&](const Word& w) {
            std::string_view unit = w.text.substr(0, w.text.find(".service"));
            return std::find(words.begin(), words.end(), unit) != words.end();
        });
    };
    bool starts = has({"start", "restart", "reload", "try-restart", "force-reload", "reload-or-restart"});
    if (name == "netfilter-persistent" && has({"start", "restart", "reload", "force-reload"}))
        return std::string("netfilter-persistent loads the saved rules files");
    if ((name == "systemctl" || name == "service" || name == "invoke-rc.d" || name == "rc-service") && starts &&
        has({"iptables", "ip6tables", "netfilter-persistent", "ufw", "firewalld", "nftables", "docker",
             "iptables-persistent"}))
        return fmt::format("{} starts a service that loads firewall rules of its own", name);
    // A program not known here that runs an iptables command changing the ruleset (strace, chrt,
    // ssh): how, where and whether it runs it is not followed, so it is no command to pass over.
    if (!only_prints_or_waits(name))
        for (auto word = after; word != command.end(); ++word)
            if (program_family(word->text) && std::any_of(word + 1, command.end(), [](const Word& w) {
                    auto kind = command_option(w.text);
                    return kind && *kind != CommandKind::check;
                }))
                return fmt::format(
                    "{} runs {} in a way ipt2nft does not follow (a program it does not know, or "
                    "on another host)",
                    command[program].text, word->text);
    return std::nullopt;
}

bool only_prints_or_waits(std::string_view word) {
    constexpr std::string_view quiet[] = {"true", ":", "echo", "printf", "sleep", "logger"};
    return std::find(std::begin(quiet), std::end(quiet), program_name(word)) != std::end(quiet);
}

std::optional<std::string_view> looked_up_program(std::string_view substitution) {
    std::string_view body;
    if (substitution.starts_with("$(") && substitution.ends_with(")") && !substitution.starts_with("$(("))
        body = substitution.substr(2, substitution.size() - 3);
    else if (substitution.size() >= 2 && substitution.starts_with("`") && substitution.ends_with("`"))
        body = substitution.substr(1, substitution.size() - 2);
    else
        return std::nullopt;
    std::vector<std::string_view> words;
    for (size_t at = body.find_first_not_of(" \t"); at != std::string_view::npos;
         at = body.find_first_not_of(" \t", at)) {
        size_t end = std::min(body.find_first_of(" \t", at), body.size());
        words.push_back(body.substr(at, end - at));
        at = end;
    }
    // Only plain names: quotes, expansions or redirections make it another command.
    if (std::any_of(words.begin(), words.end(),
                    [](std::string_view w) { return w.find_first_of("'\"$`\\<>|&;(){}") != std::string_view::npos; }))
        return std::nullopt;
    bool lookup = (words.size() == 2 && words[0] == "which") ||
                  (words.size() == 3 && words[0] == "command" && words[1] == "-v") ||
                  (words.size() == 3 && words[0] == "type" && (words[1] == "-P" || words[1] == "-p"));
    if (!lookup) return std::nullopt;
    std::string_view program = words.back();
    if (program.find('/') != std::string_view::npos || !(program_family(program) || loads_ruleset(program)))
        return std::nullopt;
    return program;
}

}  // namespace ipt2nft::grammar
