// Actions of the save-format and shell grammars: they build words and line records.
#pragma once
#include <fmt/format.h>

#include <charconv>
#include <string>
#include <tao/pegtl.hpp>

#include "grammar/parse.hpp"
#include "grammar/programs.hpp"
#include "grammar/rules/save.hpp"
#include "grammar/rules/shell.hpp"

namespace ipt2nft::grammar {

namespace pegtl = tao::pegtl;

// Shared by both grammars: the word under construction and where input offsets start.
struct WordBuilder {
    const char* base = nullptr;  // the line's first byte
    uint32_t file = 0;
    uint32_t offset = 0;  // file offset of `base`
    TextStore* store = nullptr;
    // Most words are one run of the line: they stay a view of it. A word made of pieces (quotes
    // in the middle, escapes, expansions) is assembled in `text` and kept in the store.
    std::string_view run;
    std::string text;
    bool assembled = false;
    bool quoted = false;
    // Ranges of `text` that came from unquoted expansions: blanks in them split words.
    std::vector<std::pair<size_t, size_t>> splittable;
    Words words;

    Span span(const char* b, const char* e) const {
        return {file, offset + static_cast<uint32_t>(b - base), offset + static_cast<uint32_t>(e - base)};
    }
    void append(const char* b, const char* e);  // bytes of the line, as written
    void assemble();                            // from here on the word is built in `text`
    void finish(Span s);
    void discard();  // the word read so far is not one of the command's
};

struct SaveState : WordBuilder {
    SaveLine* line = nullptr;
    uint64_t packets = 0;
};

struct ShellState : WordBuilder {
    const Variables* variables = nullptr;
    Diagnostics* diags = nullptr;
    std::vector<UnsetUse>* unset = nullptr;  // given: unset variables are noted here, not reported
    bool failed = false;
    size_t expanded = 0;  // bytes the line's variables have added
    void expand(std::string_view name, Span where, bool in_quotes);
    // A shell form whose meaning cannot be known here, or differs between shells: the line fails.
    template <typename In>
    void refuse(const In& in, std::string message) {
        diags->error(span(in.begin(), in.end()), std::move(message), "shell-construct");
        failed = true;
    }
};

template <typename Rule>
struct save_action : pegtl::nothing<Rule> {};

template <>
struct save_action<rules::save::table_name> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.line->name = std::string_view(in.begin(), in.size());
        s.line->name_span = s.span(in.begin(), in.end());
    }
};
template <>
struct save_action<rules::save::chain_name> : save_action<rules::save::table_name> {};
template <>
struct save_action<rules::save::policy_name> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.line->policy = std::string_view(in.begin(), in.size());
        s.line->policy_span = s.span(in.begin(), in.end());
    }
};
// A saved count, all digits: the kernel's counters are 64-bit, so a larger one is an error at
// its place, not an exception.
template <typename In>
uint64_t count_value(const In& in, const char* what) {
    uint64_t value = 0;
    auto [end, error] = std::from_chars(in.begin(), in.end(), value);
    if (error != std::errc() || end != in.end())
        throw pegtl::parse_error(std::string(what) + " is larger than 18446744073709551615, the largest 64-bit count",
                                 in);
    return value;
}
template <>
struct save_action<rules::packet_count> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.packets = count_value(in, "packet count");
    }
};
template <>
struct save_action<rules::byte_count> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.line->counters = Counters{s.packets, count_value(in, "byte count")};
    }
};
template <>
struct save_action<rules::counters> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.line->counters_span = s.span(in.begin(), in.end());
    }
};
template <>
struct save_action<rules::save::plain> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.append(in.begin(), in.end());
    }
};
template <>
struct save_action<rules::save::dq_plain> : save_action<rules::save::plain> {};
template <>
struct save_action<rules::save::dq_escaped> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.append(in.begin() + 1, in.end());
    }
};
template <>
struct save_action<rules::save::double_quoted> {
    template <typename In>
    static void apply(const In&, SaveState& s) {
        s.quoted = true;
    }
};
template <>
struct save_action<rules::save::unquoted_word> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.words.push_back(Word{std::string_view(in.begin(), in.size()), s.span(in.begin(), in.end()), false, false});
    }
};
template <>
struct save_action<rules::save::word> {
    template <typename In>
    static void apply(const In& in, SaveState& s) {
        s.finish(s.span(in.begin(), in.end()));
    }
};

template <typename Rule>
struct shell_action : pegtl::nothing<Rule> {};

template <>
struct shell_action<rules::shell::plain> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.append(in.begin(), in.end());
    }
};
template <>
struct shell_action<rules::shell::dq_plain> : shell_action<rules::shell::plain> {};
template <>
struct shell_action<rules::shell::dq_backslash> : shell_action<rules::shell::plain> {};
template <>
struct shell_action<rules::shell::lone_dollar> : shell_action<rules::shell::plain> {};
template <>
struct shell_action<rules::shell::lone_brace> : shell_action<rules::shell::plain> {};
template <>
struct shell_action<rules::shell::sq_body> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.append(in.begin(), in.end());
        s.quoted = true;
    }
};
template <>
struct shell_action<rules::shell::double_quoted> {
    template <typename In>
    static void apply(const In&, ShellState& s) {
        s.quoted = true;
    }
};
template <>
struct shell_action<rules::shell::escaped> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.append(in.begin() + 1, in.end());
        s.quoted = true;
    }
};
template <>
struct shell_action<rules::shell::dq_escaped> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.append(in.begin() + 1, in.end());
    }
};
template <>
struct shell_action<rules::shell::variable> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        std::string_view name(in.begin() + 1, in.size() - 1);
        if (!name.empty() && name.front() == '{') name = name.substr(1, name.size() - 2);
        s.expand(name, s.span(in.begin(), in.end()), false);
    }
};
template <>
struct shell_action<rules::shell::quoted_variable> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        std::string_view name(in.begin() + 1, in.size() - 1);
        if (!name.empty() && name.front() == '{') name = name.substr(1, name.size() - 2);
        s.expand(name, s.span(in.begin(), in.end()), true);
    }
};
template <>
struct shell_action<rules::shell::command_substitution> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        if (auto program = looked_up_program(in.string_view())) {
            // `IPT=$(which iptables)`: the path it prints runs iptables, which is all that counts.
            s.assemble();
            s.text += *program;
            return;
        }
        s.refuse(in, in.string_view().starts_with("$((")
                         ? "arithmetic expansion is not supported: ipt2nft replays plain iptables commands only (" +
                               std::string(run_hint) + ")"
                         : "command substitution is not supported: its output cannot be known here (" +
                               std::string(run_hint) + ")");
    }
};
template <>
struct shell_action<rules::shell::special_parameter> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.refuse(in, "special parameter '" + in.string() + "' is not supported: its value cannot be known here (" +
                         std::string(run_hint) + ")");
    }
};
template <>
struct shell_action<rules::shell::dollar_quote> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        // bash reads `$'a\tb'` as a tab between a and b, and `$"..."` as a translated string;
        // sh (dash) reads a '$' and then a quoted word.
        s.refuse(in, fmt::format("{}...{} quoting is read one way by bash and another by sh: write the value in "
                                 "plain quotes",
                                 in.string_view().substr(0, 2), in.string_view().substr(1, 1)));
    }
};
template <>
struct shell_action<rules::shell::brace_expansion> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.refuse(in, fmt::format("brace expansion '{}' is read one way by bash (a word for each item) and another "
                                 "by sh (the braces as written): write the words out",
                                 in.string_view()));
    }
};
template <>
struct shell_action<rules::shell::word> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.finish(s.span(in.begin(), in.end()));
    }
};
template <>
struct shell_action<rules::shell::redirection_target> {
    template <typename In>
    static void apply(const In&, ShellState& s) {
        s.discard();
    }
};
template <>
struct shell_action<rules::shell::operator_token> {
    template <typename In>
    static void apply(const In& in, ShellState& s) {
        s.words.push_back(Word{std::string_view(in.begin(), in.size()), s.span(in.begin(), in.end()), false, true});
    }
};

}  // namespace ipt2nft::grammar
