// Command options are recognised while the rule spec is read, since iptables lets them appear
// anywhere on the line (`iptables -p tcp -A INPUT ...`).
#include "grammar/command_line.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <iterator>
#include <unordered_map>

#include "grammar/rule_spec.hpp"
#include "grammar/values.hpp"

namespace ipt2nft::grammar {

namespace {

// What an option of the command itself (not of the rule) does.
enum class FrameKind {
    table,
    ipv4,
    ipv6,
    wait,
    wait_interval,
    no_effect,
    listing_format,  // -n, -x, --line-numbers: iptables takes them with -L alone
    value_ignored,
    listing,
    command
};

struct FrameOption {
    std::string_view long_name;
    char short_name;  // '\0' when there is none
    FrameKind what;
    CommandKind command = CommandKind::append;  // for FrameKind::command
};

const FrameOption frame_options[] = {
    {"table", 't', FrameKind::table},
    {"ipv4", '4', FrameKind::ipv4},
    {"ipv6", '6', FrameKind::ipv6},
    {"wait", 'w', FrameKind::wait},
    {"wait-interval", 'W', FrameKind::wait_interval},
    {"verbose", 'v', FrameKind::no_effect},
    {"numeric", 'n', FrameKind::listing_format},
    {"exact", 'x', FrameKind::listing_format},
    {"line-numbers", '\0', FrameKind::listing_format},
    {"modprobe", 'M', FrameKind::value_ignored},  // the kernel module loader to run
    {"version", 'V', FrameKind::listing},
    {"help", 'h', FrameKind::listing},
    {"list", 'L', FrameKind::listing},
    {"list-rules", 'S', FrameKind::listing},
    {"check", 'C', FrameKind::command, CommandKind::check},
    {"append", 'A', FrameKind::command, CommandKind::append},
    {"insert", 'I', FrameKind::command, CommandKind::insert},
    {"delete", 'D', FrameKind::command, CommandKind::delete_spec},
    {"replace", 'R', FrameKind::command, CommandKind::replace},
    {"new-chain", 'N', FrameKind::command, CommandKind::new_chain},
    {"delete-chain", 'X', FrameKind::command, CommandKind::delete_chain},
    {"policy", 'P', FrameKind::command, CommandKind::policy},
    {"flush", 'F', FrameKind::command, CommandKind::flush},
    {"rename-chain", 'E', FrameKind::command, CommandKind::rename},
    {"zero", 'Z', FrameKind::command, CommandKind::zero},
};

// Every word of every command is offered here first: one look-up, not a comparison per name.
const FrameOption* find_frame_option(std::string_view name, bool is_long) {
    if (!is_long) {
        static const auto by_short = [] {
            std::array<const FrameOption*, 128> table{};
            for (const auto& o : frame_options)
                if (o.short_name) table[static_cast<unsigned char>(o.short_name)] = &o;
            return table;
        }();
        auto c = static_cast<unsigned char>(name[0]);
        return name.size() == 1 && c < by_short.size() ? by_short[c] : nullptr;
    }
    static const auto by_long = [] {
        std::unordered_map<std::string_view, const FrameOption*> map;
        for (const auto& o : frame_options) map.emplace(o.long_name, &o);
        return map;
    }();
    auto it = by_long.find(name);
    return it == by_long.end() ? nullptr : it->second;
}

}  // namespace

std::optional<CommandKind> command_option(std::string_view word) {
    if (word.size() < 2 || word[0] != '-') return std::nullopt;
    bool is_long = word[1] == '-';
    const FrameOption* o = find_frame_option(is_long ? word.substr(2, word.find('=') - 2) : word.substr(1, 1), is_long);
    if (!o || o->what != FrameKind::command) return std::nullopt;
    return o->command;
}

namespace {

bool is_number(const Word& w) {
    return !w.text.empty() && std::all_of(w.text.begin(), w.text.end(),
                                          [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}
// Whether iptables takes the word after an option with an optional or a required value as that
// value: one that does not start as an option or a negation does.
bool takes_next(const Words& words, size_t i) {
    return i + 1 < words.size() && !words[i + 1].operator_ && !words[i + 1].text.starts_with('-') &&
           !words[i + 1].text.starts_with('!');
}
// The integer sscanf's %i (base 0) or %u (base 10) reads at the start of `text`, as iptables
// reads the values of -w and -W: blanks and a sign may lead, and what follows the digits is passed
// over (seen: `-w 5x` waits 5 seconds).
std::optional<long long> scanned_integer(std::string_view text, int base) {
    std::string copy(text);
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(copy.c_str(), &end, base);
    if (end == copy.c_str()) return std::nullopt;
    return errno == ERANGE ? LLONG_MAX : v;
}
bool is_option_like(const Word& w) {
    return !w.text.empty() && (w.text[0] == '-' || w.text == "!");
}

class CommandParser {
public:
    CommandParser(const CommandContext& c, Diagnostics& d) : context_(c), diags_(d) {}

    std::optional<Command> run(const Words& words, size_t begin) {
        command_.family = context_.family;
        command_.table = context_.table;
        command_.table_span = context_.table_span;
        command_.from_save = context_.in_save;
        if (begin < words.size()) command_.span = Span::join(words[begin].span, words.back().span);
        static const std::vector<std::string_view> long_names = [] {
            std::vector<std::string_view> names;
            for (const auto& o : frame_options) names.push_back(o.long_name);
            return names;
        }();
        auto rules =
            parse_rule_spec(words, begin, context_.family, context_.store, diags_,
                            FrameOptions{[this](const Words& w, size_t i) { return frame(w, i); }, long_names});
        if (failed_) return std::nullopt;
        if (skip_) return std::nullopt;
        if (!kind_) {
            diags_.error(command_.span, "no command given (-A, -I, -D, -R, -N, -X, -P, -F, -E or -Z)",
                         "missing-command");
            return std::nullopt;
        }
        command_.kind = *kind_;
        bool takes_rule = *kind_ == CommandKind::append || *kind_ == CommandKind::insert ||
                          *kind_ == CommandKind::replace || *kind_ == CommandKind::delete_spec ||
                          *kind_ == CommandKind::check;
        if (!rules || frame_refused(rules->first)) return std::nullopt;
        if (takes_rule) {
            if (*kind_ == CommandKind::replace && !rules->more.empty()) {
                diags_.error(command_.span,
                             "-R replaces one rule, and these addresses make several: give one source and one "
                             "destination",
                             "several-addresses");
                return std::nullopt;
            }
            command_.rule = std::move(rules->first);
            command_.more_rules = std::move(rules->more);
            command_.each_rule([&](Rule& rule) {
                rule.origin.span = command_.span;
                if (command_.counters) rule.origin.counters = command_.counters;
            });
        } else if (!rules->more.empty() || !rules->first.conditions.empty() || !rules->first.statements.empty()) {
            diags_.error(command_.span, "this command takes no rule specification", "unexpected-argument");
            return std::nullopt;
        }
        return std::move(command_);
    }

private:
    const CommandContext& context_;
    Diagnostics& diags_;
    Command command_;
    std::optional<CommandKind> kind_;
    bool failed_ = false;
    bool skip_ = false;
    bool waits_ = false;
    std::optional<Span> wait_interval_;
    std::optional<Word> listing_format_;  // the first of -n, -x, --line-numbers

    // What iptables refuses in the command options of a command that changes the ruleset.
    bool frame_refused(const Rule& rule) {
        if (listing_format_) {
            error(listing_format_->span,
                  fmt::format("iptables refuses '{}' here: it only shapes the listing of -L", listing_format_->text),
                  "illegal-option");
        }
        if (wait_interval_ && !waits_)
            error(*wait_interval_, "iptables refuses --wait-interval without --wait", "illegal-option");
        if (rule.origin.counters && *kind_ == CommandKind::delete_spec)
            error(command_.span, "iptables refuses -c with -D: counters do not pick the rule", "illegal-option");
        return failed_;
    }

    void error(Span s, std::string m, std::string code) {
        diags_.error(s, std::move(m), std::move(code));
        failed_ = true;
    }

    size_t frame(const Words& words, size_t i) {
        const Word& w = words[i];
        if (w.text.size() < 2 || w.text[0] != '-') return 0;
        bool is_long = w.text.size() > 2 && w.text[1] == '-';
        std::string_view name = w.text.substr(is_long ? 2 : 1);
        if (!is_long && name.size() > 1) return cluster(words, i, name);
        std::optional<std::string_view> attached;  // --table=nat
        if (auto eq = name.find('='); is_long && eq != std::string_view::npos) {
            attached = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const FrameOption* o = find_frame_option(name, is_long);
        if (!o) return 0;
        return attached ? apply_attached(*o, words, i, *attached) : apply(*o, words, i);
    }

    // Short options run together, as getopt reads them: `-nvL` is -n -v -L, and the rest after
    // an option that takes a value is that value: `-tnat`, `-AINPUT`, `-vFfoo`. Not ours when
    // a letter is not a command option (`-ptcp` is the rule's).
    size_t cluster(const Words& words, size_t i, std::string_view letters) {
        std::vector<const FrameOption*> flags;
        for (size_t k = 0; k < letters.size(); ++k) {
            const FrameOption* o = find_frame_option(letters.substr(k, 1), false);
            if (!o) return 0;
            bool flag = o->what == FrameKind::no_effect || o->what == FrameKind::listing_format ||
                        o->what == FrameKind::ipv4 || o->what == FrameKind::ipv6;
            if (flag) {
                flags.push_back(o);
                continue;
            }
            if (apply_flags(flags, words, i) == end_of_command) return end_of_command;
            std::string_view rest = letters.substr(k + 1);
            return rest.empty() ? apply(*o, words, i) : apply_attached(*o, words, i, rest);
        }
        return apply_flags(flags, words, i);
    }

    // Options that take no value, in a cluster: 1, or end_of_command when one ends the command.
    size_t apply_flags(const std::vector<const FrameOption*>& flags, const Words& words, size_t i) {
        for (const FrameOption* f : flags)
            if (apply(*f, words, i) == end_of_command) return end_of_command;
        return 1;
    }

    // `o` with its value in the same word: read as if the value were the next word.
    size_t apply_attached(const FrameOption& o, const Words& words, size_t i, std::string_view value) {
        Words split(words.begin(), words.end());
        split.insert(split.begin() + static_cast<long>(i) + 1, Word{value, words[i].span, words[i].quoted, false});
        size_t used = apply(o, split, i);
        if (used == end_of_command) return used;
        return used > 1 ? used - 1 : 1;
    }

    size_t apply(const FrameOption& option, const Words& words, size_t i) {
        const FrameOption* o = &option;
        const Word& w = words[i];
        switch (o->what) {
            case FrameKind::table:
                if (i + 1 >= words.size()) {
                    error(w.span, "option -t needs a table name", "missing-value");
                    return 1;
                }
                if (context_.in_save) {
                    error(w.span, "-t is not allowed inside a *table block of a save file", "bad-option");
                    return 2;
                }
                command_.table = words[i + 1].text;
                command_.table_span = words[i + 1].span;
                return 2;
            case FrameKind::ipv4:
            case FrameKind::ipv6:
                if ((o->what == FrameKind::ipv6) == (context_.family == Family::ipv6)) return 1;
                skip_ = true;
                // iptables-restore stops reading a line meant for the other family there and
                // skips it; the iptables command refuses it.
                if (context_.in_save)
                    diags_.note(w.span, "command for the other IP family skipped", "other-family");
                else
                    error(w.span,
                          fmt::format("{} refuses {}: it is the {} program (use {})",
                                      context_.family == Family::ipv4 ? "iptables" : "ip6tables", w.text,
                                      context_.family == Family::ipv4 ? "IPv4" : "IPv6",
                                      context_.family == Family::ipv4 ? "ip6tables" : "iptables"),
                          "other-family");
                return end_of_command;
            case FrameKind::wait:
                waits_ = true;
                if (!takes_next(words, i)) return 1;
                if (!scanned_integer(words[i + 1].text, 0))
                    error(words[i + 1].span, "-w takes the seconds to wait for the lock, a number", "bad-value");
                return 2;
            case FrameKind::wait_interval:
                if (!takes_next(words, i)) {
                    error(w.span, "option -W needs a wait interval", "missing-value");
                    return 1;
                }
                if (auto us = scanned_integer(words[i + 1].text, 10); !us || *us < 0 || *us > 999999)
                    error(words[i + 1].span, "-W takes the microseconds between lock tries, 0 to 999999", "bad-value");
                wait_interval_ = w.span;
                return 2;
            case FrameKind::no_effect: return 1;
            case FrameKind::listing_format:
                if (!listing_format_) listing_format_ = w;
                return 1;
            case FrameKind::value_ignored: return i + 1 < words.size() ? 2 : 1;
            case FrameKind::listing:
                diags_.note(w.span, fmt::format("'{}' does not change the ruleset: command skipped", w.text),
                            "ignored-command");
                skip_ = true;
                return words.size() - i;
            case FrameKind::command:
                if (kind_) {
                    error(w.span, "only one command (-A, -I, -D, ...) may be given", "duplicate-command");
                    return 1;
                }
                kind_ = o->command;
                return 1 + operands(words, i + 1, o->command, w.span);
        }
        return 0;
    }

    // Reads the chain and numbers after a command option; returns how many words it took.
    size_t operands(const Words& words, size_t i, CommandKind kind, Span at) {
        bool chain_optional =
            kind == CommandKind::delete_chain || kind == CommandKind::flush || kind == CommandKind::zero;
        if (i >= words.size() || is_option_like(words[i])) {
            if (!chain_optional) error(at, "this command needs a chain name", "missing-value");
            return 0;
        }
        command_.chain = words[i].text;
        command_.chain_span = words[i].span;
        size_t used = 1;
        auto number = [&](bool required) {
            if (i + used < words.size() && is_number(words[i + used])) {
                auto v = parse_unsigned(words[i + used].text);
                if (!v || *v == 0 || *v > UINT32_MAX) {
                    error(words[i + used].span, "rule numbers start at 1", "bad-number");
                } else {
                    warn_if_octal(diags_, words[i + used].text, words[i + used].span);
                    command_.number = static_cast<uint32_t>(*v);
                    command_.number_span = words[i + used].span;
                }
                ++used;
            } else if (required) {
                error(at, "this command needs a rule number", "missing-value");
            }
        };
        switch (kind) {
            case CommandKind::insert: number(false); break;
            case CommandKind::replace: number(true); break;
            case CommandKind::delete_spec:
                number(false);
                if (command_.number) kind_ = CommandKind::delete_number;
                break;
            case CommandKind::zero: number(false); break;
            case CommandKind::policy:
            case CommandKind::rename:
                if (i + 1 >= words.size()) {
                    error(at,
                          kind == CommandKind::policy ? "-P needs a chain and a policy"
                                                      : "-E needs the old and the new name",
                          "missing-value");
                    break;
                }
                command_.argument = words[i + 1].text;
                command_.argument_span = words[i + 1].span;
                ++used;
                break;
            default: break;
        }
        return used;
    }
};

}  // namespace

std::optional<Command> parse_command(const Words& words, size_t begin, const CommandContext& context,
                                     Diagnostics& diags) {
    CommandParser p(context, diags);
    return p.run(words, begin);
}

}  // namespace ipt2nft::grammar
