// iptables command lines: the command option (-A, -I, -D, ...), the table, then the rule spec.
#pragma once
#include <optional>
#include <string>

#include "grammar/word.hpp"
#include "ir/command.hpp"
#include "ir/diagnostics.hpp"
#include "util/text_store.hpp"

namespace ipt2nft::grammar {

struct CommandContext {
    explicit CommandContext(TextStore& s) : store(s) {}
    TextStore& store;  // where text the input does not hold as such is kept
    Family family = Family::ipv4;
    std::string_view table = "filter";
    Span table_span;
    bool in_save = false;  // a line of an iptables-restore `*table` block: no -t allowed
};

// The command a word of an iptables command line gives as an option (`-A`, `-AINPUT`, `--append`,
// `--append=INPUT`), if it gives one.
std::optional<CommandKind> command_option(std::string_view word);

// Parses `words[begin..]`, the arguments after the program name. Returns nullopt when the line
// has errors (reported) or does not change the ruleset (listing, checking; noted).
std::optional<Command> parse_command(const Words& words, size_t begin, const CommandContext& context,
                                     Diagnostics& diags);

}  // namespace ipt2nft::grammar
