// Entry points of the PEGTL grammars: one save-format line, one shell logical line.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "grammar/word.hpp"
#include "ir/diagnostics.hpp"
#include "ir/rule.hpp"
#include "util/text_store.hpp"

namespace ipt2nft::grammar {

// What a user whose script the replay refuses for its shell forms can do instead.
inline constexpr std::string_view run_hint = "--run runs the script in a sandbox instead";

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

// A script's variable. No value for one set by an assignment that could not be read (a command
// substitution, say), which was reported there: its uses fail without a word more; or for one
// whose value takes a variable from the environment the script runs in (`PATH=$PATH:/sbin`),
// named in `environment`: reported where first used, as an assignment is no error while unused.
struct Variable {
    std::optional<std::string> value;
    std::string environment;
};
using Variables = std::unordered_map<std::string, Variable>;

// A use of a variable the script has not set, or whose value takes one it has not set.
struct UnsetUse {
    std::string variable;     // as written
    std::string environment;  // the variable not set: `variable` itself, or one its value takes
    Span span;
    size_t word;  // the index of the word it is in
};
void report_unset(const UnsetUse& use, Diagnostics& diags);

// Splits a shell logical line into words, expanding $NAME and ${NAME} from `variables`. A use
// of a variable not set is an error, or with `unset` given, noted there (expanded to nothing) for
// the caller to judge: in an assignment, it makes the variable unknown rather than the line wrong.
bool parse_shell_line(std::string_view line, uint32_t file, uint32_t offset, const Variables& variables,
                      TextStore& store, Words& out, Diagnostics& diags, std::vector<UnsetUse>* unset = nullptr);

}  // namespace ipt2nft::grammar
