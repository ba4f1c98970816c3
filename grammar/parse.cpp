// The only translation unit that instantiates pegtl::parse: template cost stays here.
#include "grammar/parse.hpp"

#include <fmt/format.h>

#include <tao/pegtl.hpp>

#include "grammar/actions.hpp"
#include "grammar/errors.hpp"

namespace ipt2nft::grammar {

namespace pegtl = tao::pegtl;

void WordBuilder::append(const char* b, const char* e) {
    if (assembled) {
        text.append(b, e);
    } else if (run.data() == nullptr) {
        run = std::string_view(b, static_cast<size_t>(e - b));
    } else if (run.data() + run.size() == b) {
        run = std::string_view(run.data(), run.size() + static_cast<size_t>(e - b));
    } else {
        assemble();
        text.append(b, e);
    }
}

void WordBuilder::assemble() {
    if (!assembled) text.assign(run);
    assembled = true;
}

void WordBuilder::finish(Span s) {
    if (!assembled) {
        words.push_back(Word{run, s, quoted, false});
    } else if (splittable.empty()) {
        words.push_back(Word{store->keep(text), s, quoted, false});
    } else {
        // Field splitting of unquoted expansions, as the shell does it.
        auto is_split = [&](size_t i) {
            for (auto [b, e] : splittable)
                if (i >= b && i < e) return text[i] == ' ' || text[i] == '\t' || text[i] == '\n';
            return false;
        };
        std::string piece;
        bool any = false;
        for (size_t i = 0; i < text.size(); ++i) {
            if (is_split(i)) {
                if (any) words.push_back(Word{store->keep(piece), s, quoted, false});
                piece.clear();
                any = false;
            } else {
                piece += text[i];
                any = true;
            }
        }
        if (any || quoted) words.push_back(Word{store->keep(piece), s, quoted, false});
    }
    discard();
}

void WordBuilder::discard() {
    run = {};
    text.clear();
    assembled = false;
    quoted = false;
    splittable.clear();
}

void ShellState::expand(std::string_view name, Span where, bool in_quotes) {
    auto it = variables->find(std::string(name));
    std::string_view environment = it == variables->end() ? name : std::string_view(it->second.environment);
    if (!environment.empty()) {
        UnsetUse use{std::string(name), std::string(environment), where, words.size()};
        if (unset) {
            unset->push_back(std::move(use));
            assemble();
        } else {
            report_unset(use, *diags);
            failed = true;
        }
        return;
    }
    if (!it->second.value) {
        failed = true;
        return;
    }
    // Linux passes no argument over 128 KiB to a command (execve fails with E2BIG), nor 2 MiB of
    // them with the usual 8 MiB stack, so iptables never runs with more; the bounds also stop
    // `A=$A$A` from doubling without end.
    constexpr size_t longest_argument = 128 * 1024 - 1, most_arguments = 2 * 1024 * 1024;
    assemble();
    const std::string& value = *it->second.value;
    expanded += value.size();
    if (text.size() + value.size() > longest_argument || expanded > most_arguments) {
        if (!failed)  // once a line
            diags->error(where,
                         fmt::format("expanding '{}' makes {} over {} bytes, more than Linux passes to a command "
                                     "(iptables would not run: \"Argument list too long\")",
                                     name, expanded > most_arguments ? "the line's words" : "a word",
                                     expanded > most_arguments ? most_arguments : longest_argument),
                         "word-too-long");
        failed = true;
        return;
    }
    size_t begin = text.size();
    text += value;
    if (!in_quotes) splittable.emplace_back(begin, text.size());
}

void report_unset(const UnsetUse& use, Diagnostics& diags) {
    if (use.variable == use.environment)
        diags.error(use.span, fmt::format("variable '{}' is not set in this script", use.variable), "unset-variable");
    else
        diags.error(use.span,
                    fmt::format("variable '{}' is not known: its value takes '{}', which this script does not set "
                                "(it comes from the environment the script runs in)",
                                use.variable, use.environment),
                    "unset-variable");
}

template <typename Grammar, template <typename> class Action, typename State>
static bool run(std::string_view line, State& state, Diagnostics& diags) {
    pegtl::memory_input<pegtl::tracking_mode::lazy> in(line.data(), line.data() + line.size(), "");
    try {
        return pegtl::parse<Grammar, Action, pegtl::must_if<errors, pegtl::normal, false>::control>(in, state);
    } catch (const pegtl::parse_error& e) {
        const auto& pos = e.positions().front();
        auto at = static_cast<uint32_t>(pos.byte);
        diags.error(Span{state.file, state.offset + at, state.offset + at + 1}, std::string(e.message()), "syntax");
        return false;
    }
}

// iptables-nft-save says so in a comment when the kernel holds what it does not list: rules or
// base chains of a table made by nft or a newer iptables, "# Table `filter' is incompatible, use
// 'nft' tool." (up to 1.8.7), "# Table `filter' contains incompatible base-chains, use 'nft' tool
// to list them." (1.8.9, seen: the block then stops before its COMMIT); rules in iptables-legacy's
// tables, "# Warning: iptables-legacy tables present, use iptables-legacy-save to see them" (seen,
// on stderr).
static void warn_if_rules_unlisted(std::string_view line, Span at, Diagnostics& diags) {
    constexpr std::string_view table_start = "# Table `";
    if (line.starts_with(table_start) && line.find("incompatible") != std::string_view::npos) {
        std::string_view table = line.substr(table_start.size());
        table = table.substr(0, table.find('\''));
        diags.warning(at,
                      fmt::format("iptables-nft-save could not list all of table {}: the kernel held rules or chains "
                                  "there that this file does not show, and the translation does not hold them",
                                  table),
                      "unlisted-table");
    } else if (line.starts_with("# Warning: ") && line.find("-legacy tables present") != std::string_view::npos) {
        diags.warning(at,
                      "the kernel also held rules in iptables-legacy's tables, which this file does not show and the "
                      "translation does not hold: iptables-legacy-save lists them",
                      "unlisted-table");
    }
}

bool parse_save_line(std::string_view line, uint32_t file, uint32_t offset, TextStore& store, SaveLine& out,
                     Diagnostics& diags) {
    out.name = out.policy = {};
    out.counters.reset();
    out.words.clear();
    SaveState state;
    state.base = line.data();
    state.file = file;
    state.offset = offset;
    state.store = &store;
    state.line = &out;
    size_t first = line.find_first_not_of(" \t\r");
    // iptables-restore skips a line only when it is empty or starts with '#'; any other line is a
    // rule, so blanks alone or before '#' make it refuse the file (seen, legacy and nft alike:
    // "no command specified", "Bad argument `#'").
    if (first == std::string_view::npos) {
        out.kind = SaveLine::Kind::empty;
        if (line.empty()) return true;
        diags.error(Span{file, offset, offset + static_cast<uint32_t>(line.size())},
                    "a line of blanks alone: iptables-restore reads it as a rule without a command and refuses "
                    "the file; leave it empty",
                    "blank-line");
        return false;
    }
    if (line[first] == '#') {
        out.kind = SaveLine::Kind::comment;
        if (first == 0) {
            warn_if_rules_unlisted(line, Span{file, offset, offset + static_cast<uint32_t>(line.size())}, diags);
            return true;
        }
        diags.error(Span{file, offset, offset + static_cast<uint32_t>(first)},
                    "an indented comment: iptables-restore takes '#' as a comment only in the first column and "
                    "refuses the file",
                    "indented-comment");
        return false;
    }
    bool keyword_line = line[first] == '*' || line[first] == ':' || line.substr(first, 6) == "COMMIT";
    if (first > 0 && keyword_line) {
        // Only a rule may be indented: iptables-restore reads `  *filter` or `  COMMIT` as one.
        diags.error(Span{file, offset, offset + static_cast<uint32_t>(first)},
                    "an indented table, chain or COMMIT line: iptables-restore knows them only from the first "
                    "column and refuses the file",
                    "indented-line");
        return false;
    }
    bool ok = false;
    state.words.swap(out.words);
    switch (line[first]) {
        case '*':
            out.kind = SaveLine::Kind::table;
            ok = run<rules::save::table_line, save_action>(line, state, diags);
            break;
        case ':':
            out.kind = SaveLine::Kind::chain;
            ok = run<rules::save::chain_line, save_action>(line, state, diags);
            break;
        default:
            if (line.substr(first, 6) == "COMMIT") {
                out.kind = SaveLine::Kind::commit;
                ok = run<rules::save::commit_line, save_action>(line, state, diags);
            } else {
                out.kind = SaveLine::Kind::rule;
                ok = run<rules::save::rule_line, save_action>(line, state, diags);
            }
    }
    out.words.swap(state.words);
    // iptables-restore reads each word into 1024 bytes with its NUL and refuses the file when
    // one is longer ("Parameter too long!"); iptables itself has no such bound.
    constexpr size_t restore_word_limit = 1023;
    for (const Word& w : out.words)
        if (w.text.size() > restore_word_limit) {
            diags.error(w.span,
                        fmt::format("this word is {} bytes long: iptables-restore refuses words over {} bytes",
                                    w.text.size(), restore_word_limit),
                        "word-too-long");
            ok = false;
        }
    return ok;
}

bool parse_shell_line(std::string_view line, uint32_t file, uint32_t offset, const Variables& variables,
                      TextStore& store, Words& out, Diagnostics& diags, std::vector<UnsetUse>* unset) {
    ShellState state;
    state.base = line.data();
    state.file = file;
    state.offset = offset;
    state.store = &store;
    state.variables = &variables;
    state.diags = &diags;
    state.unset = unset;
    bool ok = run<rules::shell::line, shell_action>(line, state, diags);
    out = std::move(state.words);
    return ok && !state.failed;
}

}  // namespace ipt2nft::grammar
