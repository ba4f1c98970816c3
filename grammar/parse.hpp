// Entry points of the PEGTL grammars: one save-format line, one shell logical line.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "grammar/word.hpp"
#include "ir/diagnostics.hpp"
#include "ir/rule.hpp"
#include "ir/text_store.hpp"

namespace ipt2nft::grammar {

struct SaveLine {
    enum class Kind { empty, comment, table, chain, commit, rule } kind = Kind::empty;
    std::string_view name;  // table or chain name
    Span name_span;
    std::string_view policy;
    Span policy_span;
    std::optional<Counters> counters;
    Span counters_span;
    Words words;  // rule line arguments
};

// `line` is a view into the file's text starting at byte `offset`; returns false after
// reporting an error. Words view the line, or `store` where quoting changed them. `out` may be
// reused from line to line: its lists keep their capacity.
bool parse_save_line(std::string_view line, uint32_t file, uint32_t offset, TextStore& store, SaveLine& out,
                     Diagnostics& diags);

// A script's variables by name; no value for one set by an assignment that could not be read
// (a command substitution, say), which was reported there: its uses fail without a word more.
using Variables = std::unordered_map<std::string, std::optional<std::string>>;

// Splits a shell logical line into words, expanding $NAME and ${NAME} from `variables`.
bool parse_shell_line(std::string_view line, uint32_t file, uint32_t offset, const Variables& variables,
                      TextStore& store, Words& out, Diagnostics& diags);

}  // namespace ipt2nft::grammar
