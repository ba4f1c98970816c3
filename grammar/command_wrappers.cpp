// Programs that run the rest of their line as a command, their options read as getopt reads them.
#include "grammar/command_wrappers.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "grammar/programs.hpp"
#include "grammar/shell_assignment.hpp"

namespace ipt2nft::grammar {

namespace {

struct Wrapper {
    std::string_view name;
    std::string_view flags;             // short options without a value
    std::string_view valued;            // short options with a value, attached or the next word
    std::string_view long_flags = "";   // --name, or --name=value for an optional one; names split by blanks
    std::string_view long_valued = "";  // --name value or --name=value
    std::string_view inert = "";        // options with which the wrapper runs no command (sudo -l, command -v)
    bool assignments = false;           // NAME=value words before the command set its environment
    size_t operands = 0;                // words before the command (timeout's duration)
    bool numeric_option = false;        // `nice -10`
    bool replaces_shell = false;        // exec
    bool shell_after_operands = false;  // `flock FILE -c LINE` runs a line of the shell
};

// Options as their manual pages list them (sudo 1.9, GNU coreutils, util-linux, bash builtins).
const Wrapper wrappers[] = {
    {"sudo", "AbBEHiknNPSs", "CDgpRrTtUu",
     "askpass background bell preserve-env set-home login remove-timestamp reset-timestamp non-interactive "
     "preserve-groups stdin shell",
     "close-from chdir group prompt chroot role type command-timeout other-user user", "elvVK", true},
    {"doas", "n", "u"},
    {"env", "0iv", "uC", "ignore-environment null debug", "unset chdir", "", true},
    {"command", "p", "", "", "", "vV"},
    {"nice", "", "n", "", "adjustment", "", false, 0, true},
    {"ionice", "t", "cn", "ignore", "class classdata"},
    {"nohup", "", ""},
    {"time", "apqv", "fo", "append portability quiet verbose", "format output"},
    {"timeout", "v", "ks", "foreground preserve-status verbose", "kill-after signal", "", false, 1},
    {"stdbuf", "", "eio", "", "error input output"},
    {"exec", "cl", "a", "", "", "", false, 0, false, true},
    {"setsid", "cfw", "", "ctty fork wait"},
    // The lock file comes before the command.
    {"flock", "sxeunoF", "wE", "shared exclusive unlock nonblock nb close no-fork verbose",
     "wait timeout conflict-exit-code", "", false, 1, false, false, true},
    // Another root directory, the same kernel and so the same ruleset.
    {"chroot", "", "", "skip-chdir", "groups userspec", "", false, 1},
    // Multi-call programs: the next word names the program they run (`xtables-nft-multi iptables`).
    {"xtables-nft-multi", "", ""},
    {"xtables-legacy-multi", "", ""},
};

const Wrapper* wrapper_named(std::string_view word) {
    auto it = std::find_if(std::begin(wrappers), std::end(wrappers),
                           [&](const Wrapper& w) { return w.name == program_name(word); });
    return it == std::end(wrappers) ? nullptr : &*it;
}

// Programs that run their command in another network namespace, whose ruleset is not this one,
// or may: nsenter and unshare take options with values and name namespaces in many ways, so the
// program is the first word after them that runs iptables or loads a ruleset. `certain`: the
// namespace is another one for sure (`ip netns exec`).
bool other_namespace(const Words& command, size_t at, size_t& program, bool& certain) {
    std::string_view name = program_name(command[at].text);
    if (name == "ip" && at + 3 < command.size() && command[at + 1].text == "netns" && command[at + 2].text == "exec") {
        program = at + 4;
        certain = true;
        return true;
    }
    if (name == "nsenter" || name == "unshare") {
        program = at + 1;
        while (program < command.size() && !program_family(command[program].text) &&
               !loads_ruleset(command[program].text))
            ++program;
        certain = false;
        return true;
    }
    return false;
}

}  // namespace

ProgramRun program_run(const Words& command) {
    ProgramRun run;
    size_t& i = run.index;
    auto refuse = [&](const Word& at, std::string why, const char* code) {
        run.refused = ProgramRun::Refusal{at.span, std::move(why), code};
        return run;
    };
    // `A=b iptables ...`: the shell puts A in that command's environment only, where iptables
    // reads nothing that changes a ruleset (the script's own variables stay as they were).
    while (i < command.size() && is_assignment(command[i])) ++i;
    while (i < command.size()) {
        size_t program = 0;
        bool certain = false;
        if (other_namespace(command, i, program, certain)) {
            if (program < command.size() &&
                (program_family(command[program].text) || loads_ruleset(command[program].text)))
                return refuse(command[i],
                              certain ? fmt::format("'{}' runs {} in another network namespace, whose ruleset is not "
                                                    "the one translated here",
                                                    command[i].text, command[program].text)
                                      : fmt::format("'{}' runs {} in the namespaces its options name, which ipt2nft "
                                                    "does not follow: whose ruleset it changes cannot be told",
                                                    command[i].text, command[program].text),
                              "other-namespace");
            return run;  // another program: passed over as any other
        }
        const Wrapper* w = wrapper_named(command[i].text);
        if (!w) return run;
        const Word& wrapper = command[i++];
        run.replaces_shell = run.replaces_shell || w->replaces_shell;
        auto unknown = [&](const Word& option) {
            return refuse(option,
                          fmt::format("option '{}' of {} is not one ipt2nft reads: whether and how it runs the rest "
                                      "of the line cannot be told",
                                      option.text, wrapper.text),
                          "shell-construct");
        };
        auto inert = [&] {
            i = command.size();
            run.replaces_shell = false;  // `exec >log` only redirects the script's output
            return run;
        };
        // Options until the first word that is none (getopt stops there) or `--`.
        while (i < command.size() && command[i].text.size() > 1 && command[i].text[0] == '-') {
            const Word& option = command[i++];
            std::string_view text = option.text;
            if (text == "--") break;
            if (text.starts_with("--")) {
                std::string_view name = text.substr(2, text.find('=') - 2);
                bool with_value = text.find('=') != std::string_view::npos;
                auto is = [&](std::string_view names) {
                    for (size_t at = 0; at < names.size();) {
                        size_t end = std::min(names.find(' ', at), names.size());
                        if (names.substr(at, end - at) == name) return true;
                        at = end + 1;
                    }
                    return false;
                };
                if (is(w->long_valued)) {
                    if (!with_value && i++ >= command.size()) return unknown(option);
                } else if (!is(w->long_flags)) {
                    return unknown(option);
                }
                continue;
            }
            if (w->numeric_option &&
                std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; }))
                continue;
            for (size_t k = 1; k < text.size(); ++k) {
                char c = text[k];
                if (w->inert.find(c) != std::string_view::npos) return inert();
                if (w->flags.find(c) != std::string_view::npos) continue;
                if (w->valued.find(c) == std::string_view::npos) return unknown(option);
                if (k + 1 == text.size() && i++ >= command.size()) return unknown(option);
                break;  // the rest of the word, or the next word, is the value
            }
        }
        if (w->assignments)
            while (i < command.size() && command[i].text.find('=') != std::string_view::npos &&
                   !command[i].text.starts_with("="))
                ++i;
        i += w->operands;
        if (i >= command.size()) return inert();  // `exec >log`, `sudo -v`: no command to run
        if (w->shell_after_operands && (command[i].text == "-c" || command[i].text == "--command"))
            return refuse(
                command[i],
                fmt::format("{} {} runs a line of the shell, which is not read here", wrapper.text, command[i].text),
                "shell-construct");
    }
    return run;
}

}  // namespace ipt2nft::grammar
