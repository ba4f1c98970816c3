// Shell script reader: logical lines, variable assignments, iptables commands; any other
// shell construct is reported where it stands, never guessed at.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <unordered_set>

#include "grammar/command_line.hpp"
#include "grammar/command_wrappers.hpp"
#include "grammar/ipset.hpp"
#include "grammar/parse.hpp"
#include "grammar/programs.hpp"
#include "grammar/readers.hpp"
#include "grammar/shell_assignment.hpp"

namespace ipt2nft::grammar {

namespace {

// The end of the logical line starting at `begin`: newlines inside quotes or after a
// backslash continue it. An unterminated quote ends it at its own physical line, so one bad
// quote cannot swallow the rest of the file.
size_t logical_line_end(std::string_view text, size_t begin) {
    char quote = 0;
    bool word_start = true;
    size_t physical_end = text.find('\n', begin);
    if (physical_end == std::string_view::npos) physical_end = text.size();
    for (size_t i = begin; i < text.size(); ++i) {
        char c = text[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < text.size())
                ++i;
            continue;
        }
        if (c == '\n') return i;
        if (c == '#' && word_start) {
            size_t nl = text.find('\n', i);
            return nl == std::string_view::npos ? text.size() : nl;
        }
        if (c == '\\' && i + 1 < text.size()) {
            i += text.substr(i + 1, 2) == "\r\n" ? 2 : 1;  // a CRLF line's continuation too
            word_start = false;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        word_start = c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&';
    }
    return quote ? physical_end : text.size();
}

// `export NAME=value`, `readonly ...`, `local ...`, and bash's `declare ...` and `typeset ...`
// without options, set variables as `NAME=value` does.
bool is_declaration(std::string_view word) {
    return word == "export" || word == "readonly" || word == "local" || word == "declare" || word == "typeset";
}

// Where a command's assignments begin when the command is nothing but assignments (`A=b C=d`,
// `export A=b`), else nullopt.
std::optional<size_t> assignments_begin(const Words& command) {
    size_t first = !command.empty() && !command[0].quoted && is_declaration(command[0].text) ? 1 : 0;
    std::string name, value;
    if (first == command.size() || !std::all_of(command.begin() + static_cast<long>(first), command.end(),
                                                [&](const Word& w) { return is_assignment(w, name, value); }))
        return std::nullopt;
    return first;
}

// The shell variable name `text` starts with, after blanks, and what follows it.
std::optional<std::pair<std::string, std::string_view>> leading_name_and_rest(std::string_view text) {
    text.remove_prefix(std::min(text.find_first_not_of(" \t"), text.size()));
    size_t end = name_length(text);
    if (end == 0) return std::nullopt;
    return std::pair{std::string(text.substr(0, end)), text.substr(end)};
}

std::optional<std::string> leading_name(std::string_view text) {
    auto found = leading_name_and_rest(text);
    return found ? std::optional(found->first) : std::nullopt;
}

// The variable a line assigns first (`NAME=...`, `export NAME=...`), read from its text: when
// the line cannot be read, its variable's uses are then not reported again.
std::optional<std::string> assigned_variable(std::string_view line) {
    auto found = leading_name_and_rest(line);
    if (found && is_declaration(found->first)) found = leading_name_and_rest(found->second);
    return found && found->second.starts_with("=") ? std::optional(found->first) : std::nullopt;
}

// The delimiter of a here-document the line opens (`<<EOF`, `<<-'END'`), outside quotes; `tabs`
// tells that `<<-` lets the body and the delimiter line start with tabs.
struct HereDocument {
    std::string delimiter;
    bool tabs = false;
    bool quoted = false;                  // a quoted delimiter: the shell expands nothing in the body
    size_t body_begin = 0, body_end = 0;  // file offsets of the body, without the delimiter line
};
std::optional<HereDocument> here_document(std::string_view line) {
    char quote = 0;
    for (size_t i = 0; i + 1 < line.size(); ++i) {
        char c = line[i];
        if (quote) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\\') {
            ++i;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return std::nullopt;
        if (c != '<' || line[i + 1] != '<') continue;
        if (i + 2 < line.size() && line[i + 2] == '<') {  // `<<<`: a here-string, no document
            i += 2;
            continue;
        }
        HereDocument d;
        size_t at = i + 2;
        if (at < line.size() && line[at] == '-') {
            d.tabs = true;
            ++at;
        }
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
        // The word, its quotes removed: quoting it only keeps the body from being expanded.
        for (char in_quote = 0; at < line.size(); ++at) {
            char w = line[at];
            if (in_quote) {
                if (w == in_quote)
                    in_quote = 0;
                else
                    d.delimiter += w;
            } else if (w == '\'' || w == '"') {
                in_quote = w;
                d.quoted = true;
            } else if (w == ' ' || w == '\t' || w == ';' || w == '|' || w == '&' || w == '>' || w == '<') {
                break;
            } else if (w == '\\') {
                d.quoted = true;
            } else {
                d.delimiter += w;
            }
        }
        if (!d.delimiter.empty()) return d;
    }
    return std::nullopt;
}

// Where the here-document that starts at `begin` ends: past its delimiter line, or npos. Sets
// the body's range in `d`.
size_t here_document_end(std::string_view text, size_t begin, HereDocument& d) {
    d.body_begin = begin;
    size_t at = begin;
    while (at < text.size()) {
        size_t nl = text.find('\n', at);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view body_line = text.substr(at, end - at);
        if (!body_line.empty() && body_line.back() == '\r') body_line.remove_suffix(1);
        if (d.tabs) body_line.remove_prefix(std::min(body_line.find_first_not_of('\t'), body_line.size()));
        if (body_line == d.delimiter) {
            d.body_end = at;
            return nl == std::string_view::npos ? text.size() : nl + 1;
        }
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    return std::string_view::npos;
}

// Where an nft script begins (`#!/usr/sbin/nft -f`, `flush ruleset`, `table ip filter {`, or the
// `table ip filter` + `delete table ip filter` that ipt2nft itself writes): the span of that
// line, or nothing. No program a firewall script runs is called `table`, `define` or `include`.
std::optional<std::pair<size_t, size_t>> nft_script_start(std::string_view text) {
    size_t at = 0;
    while (at < text.size()) {
        size_t nl = text.find('\n', at);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(at, end - at);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        size_t first = line.find_first_not_of(" \t");
        if (first != std::string_view::npos) {
            std::string_view l = line.substr(first);
            bool shebang = l.starts_with("#!") && l.find("nft") != std::string_view::npos;
            constexpr std::string_view nft_statements[] = {"table ",       "add table ", "delete table ",
                                                           "flush table ", "add rule ",  "add chain ",
                                                           "define ",      "include \"", "flush ruleset"};
            bool statement = std::any_of(std::begin(nft_statements), std::end(nft_statements),
                                         [&](std::string_view s) { return l.starts_with(s); });
            if (shebang || statement) return std::pair{at + first, at + line.size()};
            if (l[0] != '#') return std::nullopt;
        }
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    return std::nullopt;
}

// Whether a script text holds more than blank lines and comments.
bool has_commands(std::string_view text) {
    size_t at = 0;
    while (at < text.size()) {
        size_t first = text.find_first_not_of(" \t\r\n", at);
        if (first == std::string_view::npos) return false;
        if (text[first] != '#') return true;
        at = text.find('\n', first);
    }
    return false;
}

// `!` negates the status of the command after it, which still runs: `set -e` and `&&` see otherwise.
constexpr std::string_view control_words[] = {"if", "then", "else",   "elif",   "fi", "for", "while",    "until",
                                              "do", "done", "case",   "esac",   "{",  "}",   "function", "select",
                                              "[[", "]]",   "return", "source", ".",  "!"};

// Where a line of commands joined by `;` alone splits into them, as [begin, end) offsets in the
// line; nullopt for a line with no `;` between commands, or with other operators, or with a
// `;` that has no command before it (a syntax error for the shell, reported as the line is read).
std::optional<std::vector<std::pair<size_t, size_t>>> sequence_pieces(std::string_view line, uint32_t file,
                                                                      uint32_t offset, const Variables& variables,
                                                                      TextStore& store) {
    if (line.find(';') == std::string_view::npos) return std::nullopt;
    Diagnostics unused;  // the line is read for its operators here; its problems are told when read for good
    Words words;
    parse_shell_line(line, file, offset, variables, store, words, unused);
    std::vector<std::pair<size_t, size_t>> pieces;
    size_t begin = 0;
    bool command_since = false;
    for (const Word& w : words) {
        if (!w.operator_) {
            command_since = true;
            continue;
        }
        if (w.text != ";" || !command_since) return std::nullopt;
        pieces.emplace_back(begin, w.span.begin - offset);
        begin = w.span.end - offset;
        command_since = false;
    }
    if (pieces.empty()) return std::nullopt;
    pieces.emplace_back(begin, line.size());
    return pieces;
}

// Whether a simple command runs iptables, ip6tables or a restore (after `sudo` and the like).
bool runs_iptables(const Words& command) {
    size_t program = program_run(command).index;
    return program < command.size() && (program_family(command[program].text) || loads_ruleset(command[program].text));
}

// Whether a simple command runs iptables or ip6tables (after `sudo` and the like), not a restore.
bool runs_iptables_command(const Words& command) {
    size_t program = program_run(command).index;
    return program < command.size() && program_family(command[program].text);
}

// A command run only to pass over a failure (`|| true`, `|| echo ...`): it changes no ruleset.
bool changes_nothing(const Words& command) {
    return !command.empty() && !command[0].quoted && only_prints_or_waits(command[0].text);
}

// A line's words as the shell splits them before any quoting counts: at blanks, with each `;`
// a word of its own. Enough for the keywords of a construct reported whole.
std::vector<std::string_view> raw_words(std::string_view line) {
    std::vector<std::string_view> words;
    for (size_t at = line.find_first_not_of(" \t"); at != std::string_view::npos;
         at = line.find_first_not_of(" \t", at)) {
        size_t end = line[at] == ';' ? at + 1 : std::min(line.find_first_of(" \t;", at), line.size());
        words.push_back(line.substr(at, end - at));
        at = end;
    }
    return words;
}

// Whether `line` holds `word` as a word of its own.
bool holds_word(std::string_view line, std::string_view word) {
    auto words = raw_words(line);
    return std::find(words.begin(), words.end(), word) != words.end();
}

// The variables a `read` on this line sets (`while read -r a b; do`).
std::vector<std::string> names_read(std::string_view line) {
    std::vector<std::string> names;
    bool after_read = false;
    for (std::string_view word : raw_words(line)) {
        if (word == "read" || word == ";") {
            after_read = word == "read";
        } else if (after_read && !word.starts_with('-')) {
            if (name_length(word) != word.size()) break;
            names.emplace_back(word);
        }
    }
    return names;
}

// How deep the script is in constructs already reported (if ... fi, for ... done, { ... }):
// the keywords that go on with one or close it (then, do, done, fi, ...) belong to its error.
class ConstructDepth {
public:
    // A line starting with control word `word`: whether it is to be reported.
    bool enter(std::string_view word, std::string_view line) {
        bool report = depth_ == 0;
        std::string_view closer = word == "if"                                                              ? "fi"
                                  : word == "case"                                                          ? "esac"
                                  : word == "for" || word == "while" || word == "until" || word == "select" ? "done"
                                  : word == "{" || (word == "function" && holds_word(line, "{"))            ? "}"
                                                                                                            : "";
        if (!closer.empty())
            open(line, closer);
        else if ((word == "fi" || word == "done" || word == "esac" || word == "}") && depth_ > 0)
            --depth_;
        return report;
    }
    // A construct opened on `line` unless the line closes it too.
    void open(std::string_view line, std::string_view closer) {
        if (!holds_word(line, closer)) ++depth_;
    }
    // Inside a reported construct: what runs there, and whether, is the shell's affair.
    bool inside() const { return depth_ > 0; }

private:
    size_t depth_ = 0;
};

void report_construct(Span at, std::string_view word, Diagnostics& diags) {
    diags.error(at,
                fmt::format("shell construct '{}' is not supported: ipt2nft replays plain iptables commands only ({})",
                            word, run_hint),
                "shell-construct");
}

// A word that opens or closes a shell construct (if, for, a { } group, ...), not a command.
bool is_control_word(const Word& w) {
    return !w.quoted &&
           std::find(std::begin(control_words), std::end(control_words), w.text) != std::end(control_words);
}

// `iptables-restore [-n] [-c] [-T table] <<EOF`: the here-document is a save file the script
// holds, restored in its turn. False when it cannot be replayed as written (the caller reports the command).
bool restore_here_document(SourceManager& sources, uint32_t file, const Words& words, size_t program,
                           const HereDocument& here, std::optional<Family> forced, Diagnostics& diags,
                           const CommandSink& sink) {
    std::string_view body = sources.text(file).substr(here.body_begin, here.body_end - here.body_begin);
    // The shell expands an unquoted here-document, and <<- takes the tabs off its lines: the
    // text iptables-restore reads is then not the text written here.
    size_t expansion = here.quoted ? std::string_view::npos : body.find_first_of("$`");
    if (expansion != std::string_view::npos ||
        (here.tabs && (body.starts_with('\t') || body.find("\n\t") != std::string_view::npos))) {
        auto at = static_cast<uint32_t>(here.body_begin + (expansion != std::string_view::npos ? expansion : 0));
        diags.error(Span{file, at, at + 1},
                    expansion != std::string_view::npos
                        ? "the shell expands this here-document before iptables-restore reads it, which is not "
                          "replayed: quote its delimiter (<<'EOF') if the text is meant as written"
                        : "<<- takes the tabs off this here-document's lines before iptables-restore reads them, "
                          "which is not replayed: write it with <<",
                    "shell-construct");
        return true;
    }
    SaveRun run{here.body_begin, here.body_end};
    run.counters = false;  // iptables-restore zeroes them unless told to keep them
    auto has_value = [&](size_t i) { return i + 1 < words.size() && !words[i + 1].operator_; };
    // -w and -W take their value in the next word when it is no option, as iptables-restore does.
    auto has_number = [&](size_t i) {
        return has_value(i) && !words[i + 1].text.empty() &&
               std::all_of(words[i + 1].text.begin(), words[i + 1].text.end(),
                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    for (size_t i = program + 1; i < words.size() && !words[i].operator_; ++i) {
        std::string_view w = words[i].text;
        // Flags by their letters, which may run together as getopt reads them (`-nc`).
        std::string_view letters = w == "--noflush"                             ? "n"
                                   : w == "--counters"                          ? "c"
                                   : w == "--verbose"                           ? "v"
                                   : w.size() > 1 && w[0] == '-' && w[1] != '-' ? w.substr(1)
                                                                                : "";
        if (!letters.empty() && letters.find_first_not_of("ncv") == std::string_view::npos) {
            run.noflush = run.noflush || letters.find('n') != std::string_view::npos;
            run.counters = run.counters || letters.find('c') != std::string_view::npos;
        } else if ((w == "-T" || w == "--table") && has_value(i)) {
            run.only_table = words[++i].text;
        } else if (w.starts_with("--table=")) {
            run.only_table = w.substr(8);
        } else if (w == "-w" || w == "--wait" || w == "-W" || w == "--wait-interval") {
            if (has_number(i)) ++i;
        } else if (w.starts_with("--wait=") || w.starts_with("--wait-interval=") || w.starts_with("--modprobe=")) {
            // waiting for the lock, and the module loader, change nothing of the ruleset
        } else if ((w == "-M" || w == "--modprobe") && has_value(i)) {
            ++i;
        } else if (w == "-t" || w == "--test") {
            diags.note(words[i].span,
                       "iptables-restore --test only checks this here-document: nothing of it is applied",
                       "ignored-command");
            return true;
        } else {
            return false;  // a file, or what is not a plain restore of this text
        }
    }
    std::string_view name = program_name(words[program].text);
    Family family = forced.value_or(name.starts_with("ip6tables") ? Family::ipv6 : Family::ipv4);
    read_save_file(sources, file, family, diags, sink, {}, run);
    return true;
}

// Whether the script's `#!` line runs its shell with -e (`#!/bin/sh -e`, `#!/bin/bash -ex`).
bool shebang_sets_errexit(std::string_view text) {
    if (!text.starts_with("#!")) return false;
    std::string_view line = text.substr(0, text.find('\n'));
    size_t at = line.find_first_of(" \t");
    while (at != std::string_view::npos) {
        size_t begin = line.find_first_not_of(" \t\r", at);
        if (begin == std::string_view::npos) break;
        at = line.find_first_of(" \t\r", begin);
        std::string_view word = line.substr(begin, at == std::string_view::npos ? at : at - begin);
        if (word.starts_with('-') && !word.starts_with("--") && word.find('e') != std::string_view::npos) return true;
    }
    return false;
}

// `set` with options only (`set -e`, `set -euo pipefail`, `set +o errexit`): whether -e holds
// after it, given `errexit` before; nothing for other `set` commands (`set -- a b`), which the
// shell runs and the replay passes over.
std::optional<bool> errexit_after_set(const Words& command, bool errexit) {
    if (command.empty() || command[0].quoted || command[0].text != "set" || command.size() == 1) return std::nullopt;
    for (size_t i = 1; i < command.size(); ++i) {
        std::string_view w = command[i].text;
        if (w.size() < 2 || (w[0] != '-' && w[0] != '+') || w == "--") return std::nullopt;
        bool on = w[0] == '-';
        for (char c : w.substr(1)) {
            if (c == 'e') errexit = on;
            if (c != 'o') continue;
            if (++i == command.size()) return std::nullopt;  // `set -o` alone lists the options
            if (command[i].text == "errexit") errexit = on;
        }
    }
    return errexit;
}

}  // namespace

void read_script(SourceManager& sources, uint32_t file, std::optional<Family> forced, Diagnostics& diags,
                 const CommandSink& sink) {
    std::string_view text = sources.text(file);
    Variables variables;
    bool save_lines_seen = false;  // save syntax met: the file is a save file read as a script
    ConstructDepth constructs;
    bool iptables_seen = false;                 // an iptables or ip6tables program was run
    bool errexit = shebang_sets_errexit(text);  // `set -e`: a failing command ends the script
    size_t errors_before = diags.error_count();
    std::optional<Word> first_ignored;
    // Other programs are passed over, each said once, since scripts run sysctl or modprobe by the
    // dozen; those that only print or wait without a word.
    std::unordered_set<std::string_view> programs_passed_over;
    auto pass_over = [&](const Word& head, std::string_view why) {
        if (!first_ignored) first_ignored = head;
        if (only_prints_or_waits(head.text) || !programs_passed_over.insert(program_name(head.text)).second) return;
        diags.warning(head.span,
                      fmt::format("command '{}' ignored, here and wherever the script runs it: {}", head.text, why),
                      "ignored-command");
    };
    if (auto nft = nft_script_start(text)) {
        // Its lines would each be a shell error: one message says what the file is.
        diags.error(Span{file, static_cast<uint32_t>(nft->first), static_cast<uint32_t>(nft->second)},
                    "this is an nft script already, not iptables-save output or iptables commands: nothing to "
                    "translate",
                    "no-ruleset");
        return;
    }
    if (size_t crlf = text.find("\r\n"); crlf != std::string_view::npos) {
        auto at = static_cast<uint32_t>(crlf);
        diags.warning(Span{file, at, at + 1},
                      "this script has CRLF line endings: read as if they were LF, though a shell would pass each "
                      "line's CR on to its last word",
                      "crlf-script");
    }
    size_t offset = 0;
    while (offset < text.size()) {
        size_t end = logical_line_end(text, offset);
        std::string_view line = text.substr(offset, end - offset);
        auto line_offset = static_cast<uint32_t>(offset);
        offset = end + 1;
        // A here-document's body is the command's input, not more commands: passed over whole.
        auto here = here_document(line);
        if (here) {
            size_t body_end = here_document_end(text, std::min(offset, text.size()), *here);
            if (body_end == std::string_view::npos) {
                diags.error(Span{file, line_offset, line_offset + static_cast<uint32_t>(line.size())},
                            fmt::format("here-document without its closing line '{}'", here->delimiter),
                            "shell-construct");
                break;
            }
            offset = body_end;
        }
        if (reject_binary(line, file, line_offset, diags)) continue;
        // Control flow is refused before any expansion: its variables are the loop's own.
        size_t head_begin = line.find_first_not_of(" \t");
        if (head_begin != std::string_view::npos) {
            auto head_text = line.substr(head_begin, line.find_first_of(" \t;", head_begin) - head_begin);
            if (std::find(std::begin(control_words), std::end(control_words), head_text) != std::end(control_words)) {
                auto at = line_offset + static_cast<uint32_t>(head_begin);
                if (constructs.enter(head_text, line))
                    report_construct(Span{file, at, at + static_cast<uint32_t>(head_text.size())}, head_text, diags);
                // `for NAME in ...` / `select NAME in ...` / `while read [-r] NAME...`: the
                // names' uses in the body are this error's.
                if (head_text == "for" || head_text == "select")
                    if (auto name = leading_name(line.substr(head_begin + head_text.size()))) variables[*name] = {};
                if (head_text == "while" || head_text == "until")
                    for (auto name : names_read(line)) variables[name] = {};
                continue;
            }
        }
        Span line_span{file, line_offset, line_offset + static_cast<uint32_t>(line.size())};

        // One simple command: variables set, iptables replayed, other programs passed over.
        // False when the script ends there (`exit`).
        // `on_failure`: whether the script goes on if it fails (by an operator after it, `||` or
        // `&&`, or for want of `set -e`); `succeeded` then tells whether it failed.
        bool replaced_shell = false;  // `exec iptables ...`: the script ends with that command
        auto replay_command = [&](const Words& command, GoesOn on_failure, bool* succeeded = nullptr) {
            bool may_fail = on_failure != GoesOn::no;
            std::string name, value;
            if (auto after = errexit_after_set(command, errexit)) {
                errexit = *after;
                return true;
            }
            // `export A=b`, `readonly A=b` and plain `A=b` commands set variables.
            if (auto first = assignments_begin(command)) {
                for (size_t i = *first; i < command.size(); ++i) {
                    is_assignment(command[i], name, value);
                    variables[name] = Variable{value, {}};
                }
                return true;
            }
            bool declare = !command[0].quoted && is_declaration(command[0].text);
            if (declare && command.size() > 1 && is_assignment(command[1], name, value)) {
                // `export A=b iptables` declares a variable named iptables: it runs nothing.
                diags.error(command[1].span, "a declaration followed by other words is not supported",
                            "shell-construct");
                return true;
            }
            if (declare) return true;  // `export NAME` alone changes nothing here

            const Word& head = command[0];
            if (is_control_word(head)) {
                report_construct(head.span, head.text, diags);
                return true;
            }
            bool save_syntax = head.text.size() > 1 && (head.text[0] == '*' || head.text[0] == ':');  // not `:`
            bool option = head.text.size() > 1 && head.text[0] == '-';
            if (!head.quoted && (save_syntax || head.text == "COMMIT" || (option && save_lines_seen))) {
                // Text before a save file's first line (a shell prompt, prose) makes it read as a
                // script; said once, as every line after it is then a save line too.
                if (!save_lines_seen)
                    diags.error(head.span,
                                fmt::format("'{}' is iptables-save syntax, but this file is read as a script of "
                                            "commands: a save file must begin with its save lines (comments and "
                                            "blank lines may precede them); the save lines after it are not "
                                            "reported again",
                                            head.text),
                                "save-line-in-script");
                save_lines_seen = true;
                return true;
            }
            if (!head.quoted && option) {
                // No shell command starts so; `iptables -S` prints its rules so, without their table.
                diags.error(head.span,
                            fmt::format("'{}' is an option, not a command: `iptables -S` output does not say which "
                                        "table its rules are in; translate `iptables-save` output, or begin each "
                                        "line with `iptables -t TABLE`",
                                        head.text),
                            "option-without-command");
                return true;
            }
            if (!head.quoted && head.text == "exit") {
                // The shell stops here: nothing after it runs, so nothing after it is translated;
                // unless the exit is in a construct, which decides whether it runs.
                if (constructs.inside()) return true;
                if (has_commands(text.substr(std::min(offset, text.size()))))
                    diags.warning(head.span, "the script exits here: the lines after it are not run, nor translated",
                                  "unreached-lines");
                return false;
            }
            ProgramRun run = program_run(command);
            if (run.refused) {
                diags.error(run.refused->at, run.refused->why, run.refused->code);
                iptables_seen = true;  // it may well run iptables: no word more on that
                return true;
            }
            size_t program = run.index;
            if (run.replaces_shell && has_commands(text.substr(std::min(offset, text.size()))) &&
                !constructs.inside()) {
                diags.warning(head.span,
                              "exec ends the script with this command: the lines after it are not run, nor translated",
                              "unreached-lines");
                replaced_shell = true;
            }
            bool loader = program < command.size() && loads_ruleset(command[program].text);
            std::optional<Family> family =
                program < command.size() ? program_family(command[program].text) : std::nullopt;
            iptables_seen = iptables_seen || loader || family;
            if (loader && here && restore_here_document(sources, file, command, program, *here, forced, diags, sink))
                return true;
            if (loader) {
                diags.error(command[program].span,
                            here ? fmt::format("{} loads the ruleset of this here-document, which is not replayed: "
                                               "save it to a file and translate the files in order (several files "
                                               "are read as one ruleset)",
                                               command[program].text)
                                 : fmt::format("{} loads a ruleset this script does not hold: translate that "
                                               "ruleset's file itself (several files are read as one ruleset, in "
                                               "order)",
                                               command[program].text),
                            "external-ruleset");
                return true;
            }
            if (!family && program < command.size()) {
                // What changes the ruleset from outside the script is no command to pass over.
                if (auto why = loads_ruleset_elsewhere(command, program)) {
                    diags.error(command[program].span,
                                fmt::format("{}: the ruleset it leaves is not the one translated here", *why),
                                "external-ruleset");
                    iptables_seen = true;
                    return true;
                }
            }
            if (!family && program < command.size() && program_name(command[program].text) == "ipset") {
                iptables_seen = true;
                Diagnostics failure{SIZE_MAX};
                auto c = parse_ipset_command(command, program + 1, may_fail ? failure : diags);
                if (may_fail && failure.transfer_allowed_failure(line_span, diags, goes_on_reason(on_failure)))
                    return true;
                if (!c) return true;
                c->on_failure = on_failure;
                bool ok = sink(std::move(*c));
                if (succeeded) *succeeded = ok;
                return true;
            }
            if (!family) {
                // Named by the program `sudo`, `env` and the like run, if they run one.
                pass_over(program < command.size() ? command[program] : head,
                          "ipt2nft replays iptables commands only, and takes it to leave the ruleset as it is");
                return true;
            }
            CommandContext context{sources.derived()};
            context.family = forced.value_or(*family);
            // A command the script lets fail: its errors become one warning, and it changes nothing.
            Diagnostics failure{SIZE_MAX};
            auto c = parse_command(command, program + 1, context, may_fail ? failure : diags);
            if (may_fail && failure.transfer_allowed_failure(line_span, diags, goes_on_reason(on_failure))) return true;
            if (!c) return true;
            if (c->kind == CommandKind::check && on_failure != GoesOn::by_operator) {
                // Alone, -C only answers: the ruleset stays as it is.
                diags.note(c->span, "-C does not change the ruleset: command skipped", "ignored-command");
                return true;
            }
            c->on_failure = on_failure;
            c->span = line_span;
            // The comment an untranslated rule becomes shows this command, not the others on its line.
            uint32_t own_begin = command.front().span.begin, own_end = command.back().span.end;
            std::string_view own =
                own_begin < own_end && own_end <= text.size() ? text.substr(own_begin, own_end - own_begin) : line;
            c->each_rule([&](Rule& rule) {
                rule.origin.span = line_span;
                for (auto& s : rule.statements)
                    if (auto* u = std::get_if<Untranslatable>(&s.action)) u->rule_text = own;
            });
            bool ok = sink(std::move(*c));
            if (succeeded) *succeeded = ok;
            return true;
        };
        // A command alone (not before `||` or `&&`) fails the script under `set -e` only.
        auto alone = [&] { return errexit ? GoesOn::no : GoesOn::without_errexit; };
        auto run_command = [&](const Words& command, GoesOn on_failure, bool* succeeded = nullptr) {
            return replay_command(command, on_failure, succeeded) && !replaced_shell;
        };

        // Reads one command's words (a line's, or a piece's). An assignment may take a variable
        // from the environment (`PATH=$PATH:/sbin`): its variable is then unknown, an error only
        // where it is used. A variable not set is reported at its first use alone: scripts use
        // one (set in a file they source, say) by the dozen. False when the words cannot be used
        // (the errors are reported).
        auto read_words = [&](std::string_view part, uint32_t at, Words& words) {
            std::vector<UnsetUse> unset;
            bool ok = parse_shell_line(part, file, at, variables, sources.derived(), words, diags, &unset);
            auto first = ok && !unset.empty() ? assignments_begin(words) : std::nullopt;
            if (first) {
                std::string name, value;
                for (size_t i = *first; i < words.size(); ++i) {
                    is_assignment(words[i], name, value);
                    auto from =
                        std::find_if(unset.begin(), unset.end(), [&](const UnsetUse& u) { return u.word == i; });
                    variables[name] =
                        from != unset.end() ? Variable{std::nullopt, from->environment} : Variable{value, {}};
                }
                words.clear();  // all done here
                return true;
            }
            if (ok && unset.empty()) return true;
            for (const UnsetUse& use : unset) {
                auto [it, inserted] = variables.try_emplace(use.variable);
                if (inserted || !it->second.environment.empty()) report_unset(use, diags);
                it->second = {};  // its other uses fail without a word more
            }
            if (auto assigned = assigned_variable(part)) variables[*assigned] = {};
            return false;
        };

        // Commands in sequence (`a; b`) run one after the other, as on lines of their own: each is
        // read after the one before has run, since it may set a variable the next one uses.
        if (auto pieces = sequence_pieces(line, file, line_offset, variables, sources.derived())) {
            bool ended = false;
            for (auto [from, to] : *pieces) {
                Words command;
                std::string_view piece = line.substr(from, to - from);
                if (!read_words(piece, line_offset + static_cast<uint32_t>(from), command)) continue;
                if (command.empty()) continue;
                if (!run_command(command, alone())) {
                    ended = true;
                    break;
                }
            }
            if (ended) break;
            continue;
        }
        Words words;
        if (!read_words(line, line_offset, words)) continue;
        if (words.empty()) continue;
        // A here-document's `<<` reads as operators: its command is the line's one command,
        // unless a pipe hands the body on (`cat <<EOF | iptables-restore`, `| sh`) to what would
        // change the ruleset: not followed, so an error.
        auto op = std::find_if(words.begin(), words.end(), [](const Word& w) { return w.operator_; });
        auto pipe =
            std::find_if(words.begin(), words.end(), [](const Word& w) { return w.operator_ && w.text == "|"; });
        if (here && pipe != words.end()) {
            Words after(pipe + 1, words.end());
            size_t program = program_run(after).index;
            if (runs_iptables(after) || (program < after.size() && loads_ruleset_elsewhere(after, program))) {
                std::string_view into = after[program].text;
                diags.error(
                    pipe->span,
                    fmt::format("the here-document goes through a pipe into {}, which ipt2nft does not "
                                "follow: {}",
                                into,
                                loads_ruleset(into) ? fmt::format("write `{} <<EOF`, which is replayed", into)
                                                    : std::string("translate what it runs as a file of its own")),
                    "shell-construct");
                iptables_seen = true;
                continue;
            }
        }
        if (op == words.end() || here) {
            if (!run_command(words, alone())) break;
            continue;
        }
        std::vector<Words> parts(1);
        for (const Word& w : words)
            if (w.operator_)
                parts.emplace_back();
            else
                parts.back().push_back(w);
        bool gaps = std::any_of(parts.begin(), parts.end() - 1, [](const Words& p) { return p.empty(); });
        // `iptables A || B`, `iptables A && B`: A runs, and whether B runs follows from A's
        // success, which the replay knows (`-C ... || -A ...`, `-N X || true`), B being an
        // iptables command or one that changes nothing.
        if (parts.size() == 2 && (op->text == "||" || op->text == "&&") && !gaps && runs_iptables_command(parts[0]) &&
            (runs_iptables_command(parts[1]) || changes_nothing(parts[1]))) {
            bool succeeded = false;
            if (!run_command(parts[0], GoesOn::by_operator, &succeeded)) break;
            bool second = succeeded == (op->text == "&&") && runs_iptables_command(parts[1]);
            if (second && !run_command(parts[1], alone())) break;
            continue;
        }
        // `iptables ... || exit 1`: the script stops where the command fails, which is an error here
        // as it is without the `||`; where -C answers no, it ends there (the answer is no failure).
        bool exits = parts.size() == 2 && !parts[1].empty() && !parts[1][0].quoted && parts[1][0].text == "exit" &&
                     parts[1].size() <= 2;
        if (exits && op->text == "||" && !gaps && runs_iptables_command(parts[0])) {
            bool check = std::any_of(parts[0].begin(), parts[0].end(),
                                     [](const Word& w) { return command_option(w.text) == CommandKind::check; });
            bool succeeded = true;
            if (!run_command(parts[0], check ? GoesOn::by_operator : GoesOn::no, check ? &succeeded : nullptr)) break;
            if (!succeeded && !run_command(parts[1], GoesOn::no)) break;
            continue;
        }
        // Any other operator lets the shell decide which commands run, or how (`a && b`, `a | b`,
        // `f() {`): refused where an iptables command or a shell construct takes part, passed
        // over where no command of the line changes the ruleset.
        auto grouping = [](const Word& w) { return w.operator_ && (w.text == "(" || w.text == ")" || w.text == ";;"); };
        bool refused =
            gaps || std::any_of(parts.begin(), parts.end(), runs_iptables) ||
            std::any_of(words.begin(), words.end(), grouping) ||
            std::any_of(parts.begin(), parts.end(), [](const Words& p) { return !p.empty() && is_control_word(p[0]); });
        if (refused) {
            // The first operator other than `;`, else the first `;` with no command before it.
            std::vector<const Word*> operators;
            for (const Word& w : words)
                if (w.operator_) operators.push_back(&w);
            // A `case` pattern (`start)`) or `;;` belongs to the construct's error.
            if (constructs.inside() &&
                std::all_of(operators.begin(), operators.end(), [](const Word* w) { return w->text != "("; }) &&
                std::any_of(operators.begin(), operators.end(),
                            [](const Word* w) { return w->text == ")" || w->text == ";;"; }))
                continue;
            auto other = std::find_if(operators.begin(), operators.end(), [](const Word* w) { return w->text != ";"; });
            auto gap = std::find_if(parts.begin(), parts.end() - 1, [](const Words& p) { return p.empty(); });
            const Word& at = other != operators.end() ? **other
                             : gap != parts.end() - 1 ? *operators[static_cast<size_t>(gap - parts.begin())]
                                                      : *op;
            diags.error(at.span,
                        fmt::format("shell operator '{}' is not supported: the shell decides which commands of this "
                                    "line run, and how; ipt2nft replays plain iptables commands only ({})",
                                    at.text, run_hint),
                        "shell-construct");
            iptables_seen = iptables_seen || std::any_of(parts.begin(), parts.end(), runs_iptables);
            // `name() {`: the function's body goes on to its `}`.
            if (!words.back().operator_ && !words.back().quoted && words.back().text == "{") constructs.open(line, "}");
            continue;
        }
        const Word& head = *std::find_if(words.begin(), words.end(), [](const Word& w) { return !w.operator_; });
        pass_over(head, "this line runs no iptables command");
    }
    // Only other programs, read without an error: not the script the user meant to give (an nft
    // script, a web page, ...). Errors already say what is wrong with the others.
    if (!iptables_seen && first_ignored && diags.error_count() == errors_before)
        diags.error(first_ignored->span,
                    "this file runs no iptables or ip6tables command and holds no iptables-save lines: nothing to "
                    "translate",
                    "no-ruleset");
}

}  // namespace ipt2nft::grammar
