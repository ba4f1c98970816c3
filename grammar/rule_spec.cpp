// Rule specification parser: getopt-like option handling over words, then lowering in the
// order iptables evaluates a rule (interfaces, fragment, protocol, addresses, matches, target).
#include "grammar/rule_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <forward_list>
#include <iterator>

#include "grammar/extension.hpp"
#include "grammar/untranslatable_modules.hpp"
#include "grammar/values.hpp"
#include "ir/target_names.hpp"

namespace ipt2nft::grammar {

namespace {

enum class Builtin {
    protocol,
    source,
    destination,
    in_interface,
    out_interface,
    fragment,
    jump,
    go_to,
    match,
    counters
};

struct BuiltinDef {
    std::string_view long_name;
    char short_name;
    Builtin kind;
    OptionDef def;
};

const std::vector<BuiltinDef>& builtins() {
    static const std::vector<BuiltinDef> defs{
        {"protocol", 'p', Builtin::protocol, {"protocol", 1, true}},
        {"source", 's', Builtin::source, {"source", 1, true}},
        {"src", 0, Builtin::source, {"source", 1, true}},
        {"destination", 'd', Builtin::destination, {"destination", 1, true}},
        {"dst", 0, Builtin::destination, {"destination", 1, true}},
        {"in-interface", 'i', Builtin::in_interface, {"in-interface", 1, true}},
        {"out-interface", 'o', Builtin::out_interface, {"out-interface", 1, true}},
        {"fragments", 'f', Builtin::fragment, {"fragment", 0, true}},
        {"jump", 'j', Builtin::jump, {"jump", 1, false}},
        {"goto", 'g', Builtin::go_to, {"goto", 1, false}},
        {"match", 'm', Builtin::match, {"match", 1, false}},
        {"set-counters", 'c', Builtin::counters, {"set-counters", 2, false}},
    };
    return defs;
}

// A word that can only be a value: not an option, a negation or a shell operator. Quoting makes no
// difference: iptables sees the word the shell or iptables-restore leaves (`\!`, "-j").
bool is_value(const Word& w) {
    return !w.operator_ && (w.text.empty() || w.text[0] != '-') && w.text != "!";
}

struct LoadedExtension {
    const Extension* extension;  // null for a module iptables knows but we do not translate
    ExtensionUse use;
    bool is_target;
};

struct BuiltinUse {
    bool inverted = false;
    OptionArgs args;
    Span span;
    bool present = false;
};

class Parser {
public:
    Parser(const Words& words, Family family, TextStore& store, Diagnostics& diags)
        : words_(words), family_(family), store_(store), diags_(diags), values_(diags) {
        loaded_.reserve(4);  // a rule loads a few extensions: one allocation, not one per doubling
    }

    std::optional<KernelRules> run(size_t begin, const FrameOptions& frame);

private:
    const Words& words_;
    Family family_;
    TextStore& store_;
    Diagnostics& diags_;
    ValueReader values_;
    bool failed_ = false;
    const FrameOptions* frame_ = nullptr;
    bool ended_ = false;  // a command option ended the command (end_of_command)

    BuiltinUse uses_[10];
    std::vector<LoadedExtension> loaded_;
    std::optional<uint8_t> protocol_;
    bool protocol_inverted_ = false;
    bool goto_ = false;
    // Options of untranslated modules (names view the words); forward_list: stable addresses,
    // no allocation unused.
    std::forward_list<OptionDef> synthesized_defs_;

    void error(Span s, std::string message, std::string code) {
        diags_.error(s, std::move(message), std::move(code));
        failed_ = true;
    }
    size_t option(size_t i, bool inverted, Span invert_span);
    // What an option word names: its name, a value attached to it, and whether it is long.
    struct OptionName {
        std::string_view name;
        std::optional<std::string_view> attached;  // --opt=value or -pVALUE
        bool is_long;
    };
    // Where an option name was found: a built-in option, an extension's (with the module that
    // takes it), or a command option's full name.
    struct Resolved {
        const BuiltinDef* builtin = nullptr;
        const OptionDef* ext_def = nullptr;
        LoadedExtension* owner = nullptr;
        std::string_view frame_name;
        bool found() const { return builtin || ext_def; }
    };
    std::optional<OptionName> option_name(const Word& w);
    void resolve_exact(std::string_view name, Resolved& r);
    std::vector<std::string_view> resolve_prefix(std::string_view name, Resolved& r);
    std::optional<size_t> take_untranslated(size_t i, std::string_view name, bool inverted, Span span);
    void load_protocol_match();
    std::vector<std::string_view> resolve(size_t i, const OptionName& n, bool inverted, Span span, Resolved& r,
                                          std::optional<size_t>& taken);
    size_t unknown_option(size_t i, const Word& w, std::string_view name);
    size_t record_builtin(size_t i, const BuiltinDef& b, const OptionDef& def, bool inverted, OptionArgs args,
                          Span span);
    size_t record_extension_option(size_t i, const Resolved& r, bool inverted, OptionArgs args, Span span);
    size_t command_option(size_t i, std::string_view full_name, std::optional<std::string_view> attached);
    // iptables looks an option name up in the modules last loaded first, each where it was first
    // loaded: a module loaded again (`-m mark ... -m mark`) adds no options, so one loaded in
    // between keeps the names both define. The option then goes to the module's newest instance.
    bool looked_up(const LoadedExtension& l) const {
        return l.extension && std::find_if(loaded_.begin(), loaded_.end(), [&](const LoadedExtension& e) {
                                  return e.extension == l.extension;
                              }) == loaded_.begin() + (&l - loaded_.data());
    }
    LoadedExtension& newest(const LoadedExtension& l) {
        return *std::find_if(loaded_.rbegin(), loaded_.rend(),
                             [&](const LoadedExtension& e) { return e.extension == l.extension; });
    }
    bool read_args(size_t& i, const OptionDef& def, Span name_span, bool& inverted, OptionArgs& args);
    void load(const Word& name, bool target);
    bool of_other_family(const Extension* e, std::string_view name, Span span, std::string_view kind);
    std::vector<std::string_view> known_option_names() const;
    // The -s or -d addresses, one entry per address given (none: not given); an empty entry
    // tests nothing (0/0). iptables adds one kernel rule per source and destination address,
    // sources outermost.
    struct AddressList {
        bool source;  // saddr, else daddr
        std::vector<std::optional<Prefix>> prefixes;
        bool inverted = false;
        Span span;
        size_t rules() const { return std::max<size_t>(1, prefixes.size()); }
        std::optional<Condition> test(size_t which, Family family) const;  // nullopt: tests nothing
    };
    AddressList sources_{true, {}, false, {}}, destinations_{false, {}, false, {}};
    size_t addresses_at_ = 0;  // where the address tests go among a rule's conditions

    void lower(Rule& rule);
    void lower_interfaces(Rule& rule);
    void lower_addresses(Builtin which, AddressList& list);
    void lower_target(Rule& rule, LowerContext& ctx);
    KernelRules kernel_rules(Rule&& rule) const;
};

std::optional<KernelRules> Parser::run(size_t begin, const FrameOptions& frame) {
    frame_ = &frame;
    bool inverted = false;
    Span invert_span{};
    for (size_t i = begin; i < words_.size();) {
        const Word& w = words_[i];
        if (w.operator_) {
            error(w.span, fmt::format("shell operator '{}' is not supported in an iptables command", w.text),
                  "shell-construct");
            return std::nullopt;
        }
        if (w.text == "!") {
            if (inverted) error(w.span, "'!' given twice", "double-negation");
            inverted = true;
            invert_span = w.span;
            ++i;
            continue;
        }
        if (w.text == "--") {
            // getopt ends the options at '--'; iptables then refuses any word left ("unknown
            // arguments found on commandline").
            if (inverted) error(invert_span, "'!' is not followed by an option", "bad-negation");
            if (i + 1 < words_.size())
                error(words_[i + 1].span,
                      fmt::format("unexpected argument '{}' after '--', which ends the options", words_[i + 1].text),
                      "unexpected-argument");
            inverted = false;
            break;
        }
        if (size_t used = frame.take(words_, i)) {
            if (used == end_of_command) return std::nullopt;
            if (inverted) error(invert_span, "'!' cannot negate a command option", "bad-negation");
            inverted = false;
            i += used;
            continue;
        }
        if (w.text.size() > 1 && w.text[0] == '-') {
            i = option(i, inverted, invert_span);
            if (ended_) return std::nullopt;
            inverted = false;
            continue;
        }
        error(w.span, fmt::format("unexpected argument '{}'", w.text), "unexpected-argument");
        ++i;
    }
    if (inverted) error(invert_span, "'!' is not followed by an option", "bad-negation");
    if (failed_) return std::nullopt;
    Rule rule;
    lower(rule);
    // Each kernel rule is kept apart (rule numbers count them): a bound keeps two long lists from
    // taking the machine's memory, where iptables would add the rules one by one.
    constexpr size_t most_kernel_rules = 100000;
    if (size_t count = sources_.rules() * destinations_.rules(); count > most_kernel_rules)
        error(destinations_.rules() > 1 ? destinations_.span : sources_.span,
              fmt::format("{} source and {} destination addresses make {} kernel rules: more than the {} ipt2nft "
                          "builds from one command (an ipset, or fewer addresses, keeps the rule small)",
                          sources_.rules(), destinations_.rules(), count, most_kernel_rules),
              "too-many-rules");
    if (failed_) return std::nullopt;
    return kernel_rules(std::move(rule));
}

KernelRules Parser::kernel_rules(Rule&& rule) const {
    size_t count = sources_.rules() * destinations_.rules();
    KernelRules rules;
    rules.more.reserve(count - 1);
    for (size_t s = 0, made = 0; s < sources_.rules(); ++s)
        for (size_t d = 0; d < destinations_.rules(); ++d) {
            Rule& r = made++ == 0 ? rules.first : rules.more.emplace_back();
            if (made == count)
                r = std::move(rule);
            else
                r = rule;
            r.origin.address_list = count > 1;
            // Rules are kept by the hundred thousand: no spare capacity from growing these lists.
            r.statements.shrink_to_fit();
            auto source = sources_.test(s, family_), destination = destinations_.test(d, family_);
            if (!source && !destination) {
                r.conditions.shrink_to_fit();
                continue;
            }
            std::vector<Condition> conditions;
            conditions.reserve(r.conditions.size() + (source ? 1 : 0) + (destination ? 1 : 0));
            auto at = r.conditions.begin() + static_cast<long>(addresses_at_);
            std::move(r.conditions.begin(), at, std::back_inserter(conditions));
            if (source) conditions.push_back(std::move(*source));
            if (destination) conditions.push_back(std::move(*destination));
            std::move(at, r.conditions.end(), std::back_inserter(conditions));
            r.conditions = std::move(conditions);
        }
    return rules;
}

bool Parser::read_args(size_t& i, const OptionDef& def, Span name_span, bool& inverted, OptionArgs& args) {
    for (unsigned a = 0; a < def.args; ++a) {
        // The old form `-s ! addr` puts the negation after the option name.
        if (a == 0 && i < words_.size() && words_[i].text == "!" && def.invertible) {
            if (inverted) error(words_[i].span, "'!' given twice", "double-negation");
            diags_.warning(
                words_[i].span,
                "'!' after the option name is the old form, which iptables 1.8 refuses: write it before the option",
                "deprecated-negation");
            inverted = true;
            ++i;
        }
        if (i >= words_.size() || words_[i].operator_) {
            error(name_span, fmt::format("option --{} needs {}", def.name, def.args == 1 ? "a value" : "more values"),
                  "missing-value");
            return false;
        }
        // iptables takes the words after an option's first value only when they do not look like
        // options ('-c 10 -j ACCEPT': "-c requires packet and byte counter").
        if (a > 0 && (words_[i].text.starts_with('-') || words_[i].text.starts_with('!'))) {
            error(words_[i].span,
                  fmt::format("option --{} needs {} values: iptables does not take '{}' as one, as it starts with "
                              "'{}'",
                              def.name, def.args, words_[i].text, words_[i].text[0]),
                  "missing-value");
            return false;
        }
        args.push_back(words_[i++]);
    }
    return true;
}

std::vector<std::string_view> Parser::known_option_names() const {
    std::vector<std::string_view> names;
    for (const auto& b : builtins()) names.push_back(b.long_name);
    for (const auto& l : loaded_)
        if (l.extension)
            for (const auto& o : l.extension->options) names.push_back(o.name);
    return names;
}

std::optional<Parser::OptionName> Parser::option_name(const Word& w) {
    OptionName n{{}, std::nullopt, w.text.size() > 2 && w.text[1] == '-'};
    if (n.is_long) {
        n.name = w.text.substr(2);
        if (auto eq = n.name.find('='); eq != std::string::npos) {
            n.attached = n.name.substr(eq + 1);
            n.name = n.name.substr(0, eq);
        }
        return n;
    }
    char c = w.text[1];
    for (const auto& b : builtins())
        if (b.short_name == c) n.name = b.long_name;
    if (n.name.empty()) {
        error(w.span, fmt::format("unknown option '{}'", w.text), "unknown-option");
        return std::nullopt;
    }
    if (w.text.size() > 2) n.attached = w.text.substr(2);
    return n;
}

// Exact names first, without allocating: this runs for every option of every rule.
void Parser::resolve_exact(std::string_view name, Resolved& r) {
    for (const auto& b : builtins())
        if (b.long_name == name) {
            r.builtin = &b;
            return;
        }
    for (auto it = loaded_.rbegin(); it != loaded_.rend(); ++it) {
        if (!looked_up(*it)) continue;
        for (const auto& o : it->extension->options)
            if (o.name == name) {
                r.ext_def = &o;
                r.owner = &newest(*it);
                return;
            }
    }
}

// getopt_long also takes an unambiguous prefix of a long option. Returns the names the prefix
// could be; one of them is taken when it is the only one.
std::vector<std::string_view> Parser::resolve_prefix(std::string_view name, Resolved& r) {
    std::vector<std::string_view> distinct;
    for (std::string_view n : frame_->long_names)
        if (n.starts_with(name)) {
            r.frame_name = n;
            distinct.push_back(n);
        }
    const BuiltinDef* first_builtin = nullptr;
    const OptionDef* first_ext = nullptr;
    LoadedExtension* first_owner = nullptr;
    for (const auto& b : builtins())
        if (b.long_name.starts_with(name)) {
            if (!first_builtin) first_builtin = &b;
            distinct.push_back(b.def.name);
        }
    for (auto it = loaded_.rbegin(); it != loaded_.rend(); ++it) {
        if (!looked_up(*it)) continue;
        for (const auto& o : it->extension->options)
            if (o.name.starts_with(name)) {
                if (!first_ext) {
                    first_ext = &o;
                    first_owner = &newest(*it);
                }
                distinct.push_back(o.canonical());
            }
    }
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() == 1 && !r.frame_name.empty()) return distinct;
    r.frame_name = {};
    if (distinct.size() == 1) {
        r.builtin = first_builtin;
        if (!r.builtin) {
            r.ext_def = first_ext;
            r.owner = first_owner;
        }
    }
    return distinct;
}

// An option of a module we do not translate: kept with its values for the message. The index
// after its values, or nullopt when no such module is loaded.
std::optional<size_t> Parser::take_untranslated(size_t i, std::string_view name, bool inverted, Span span) {
    auto untranslated = std::find_if(loaded_.rbegin(), loaded_.rend(), [](auto& l) { return !l.extension; });
    if (untranslated == loaded_.rend()) return std::nullopt;
    auto& def = synthesized_defs_.emplace_front(OptionDef{name, 0, true});
    OptionArgs args;
    size_t k = i + 1;
    for (; k < words_.size() && is_value(words_[k]); ++k) args.push_back(words_[k]);
    def.args = static_cast<unsigned>(args.size());
    untranslated->use.options.push_back(OptionUse{&def, inverted, std::move(args), span});
    return k;
}

// iptables loads the protocol's own match when it meets an option it does not know, after
// '! -p tcp' too (the kernel then refuses the match: its lowering says why).
void Parser::load_protocol_match() {
    if (!protocol_) return;
    std::string_view implicit = protocol_match(*protocol_);
    bool already = std::any_of(loaded_.begin(), loaded_.end(), [&](auto& l) { return l.use.name == implicit; });
    if (implicit.empty() || already) return;
    Span at = uses_[static_cast<int>(Builtin::protocol)].span;
    const Extension* e = find_match(implicit);
    if (e && e->only_family && *e->only_family != family_) {
        // ip6tables has no icmp match, iptables no icmp6: the option stays unknown.
    } else if (e) {
        loaded_.push_back({e, ExtensionUse{implicit, at, {}}, false});
    } else if (is_known_iptables_match(implicit)) {
        // A protocol match we do not translate (dccp, mh, ...): its options are its own.
        loaded_.push_back({nullptr, ExtensionUse{implicit, at, {}}, false});
    }
}

// As getopt_long: the name whole, else a prefix of one name, among the options loaded so far;
// only a name it knows neither way loads the protocol's match for another try. The options of
// a module ipt2nft does not translate are unknown here: such a module takes every name that is
// not whole another's, before prefixes are tried (`taken` is then the index after its values).
std::vector<std::string_view> Parser::resolve(size_t i, const OptionName& n, bool inverted, Span span, Resolved& r,
                                              std::optional<size_t>& taken) {
    std::vector<std::string_view> candidates;
    resolve_exact(n.name, r);
    if (!r.found() && std::any_of(loaded_.begin(), loaded_.end(), [](auto& l) { return !l.extension; })) {
        // The protocol's match is tried, and stays only if the name is its: iptables loads it only
        // for a name no module loaded knows (`! -p tcp -m recent --set` loads no tcp match).
        size_t before = loaded_.size();
        load_protocol_match();
        resolve_exact(n.name, r);
        if (!r.found()) loaded_.resize(before);
        if (!r.found() && (taken = take_untranslated(i, n.name, inverted, span))) return candidates;
    }
    if (!r.found() && n.is_long) candidates = resolve_prefix(n.name, r);
    if (!r.found() && candidates.empty()) {
        load_protocol_match();
        resolve_exact(n.name, r);
        if (!r.found() && (taken = take_untranslated(i, n.name, inverted, span))) return candidates;
        if (!r.found() && n.is_long) candidates = resolve_prefix(n.name, r);
    }
    return candidates;
}

// An option no module loaded knows: an error with a hint; its values are passed over, as they
// would only cause more errors.
size_t Parser::unknown_option(size_t i, const Word& w, std::string_view name) {
    // After `-j NAME` where NAME is no target iptables knows (so it names a chain, which takes no
    // options), the mistake is likelier the target than its option: say so, not "did you mean".
    const auto& jump = uses_[static_cast<int>(Builtin::jump)];
    const auto& targets = iptables_target_names();
    if (jump.present && jump.span.begin < w.span.begin &&
        std::find(targets.begin(), targets.end(), jump.args[0].text) == targets.end()) {
        const Word& target = jump.args[0];
        error(target.span,
              fmt::format("unknown target '{}': no target iptables knows takes the options after it (without "
                          "options, -j {} would jump to a user chain of that name){}",
                          target.text, target.text, did_you_mean(target.text, targets)),
              "unknown-target");
        for (++i; i < words_.size() && is_value(words_[i]);) ++i;
        return i;
    }
    auto names = known_option_names();
    std::string hint;
    if (auto c = closest(name, names))
        hint = fmt::format("; did you mean --{}?", *c);
    else if (!protocol_ && (name == "dport" || name == "sport" || name == "destination-port" || name == "source-port"))
        hint = "; it needs -p tcp, -p udp, -p sctp or -p dccp before it";
    error(w.span, fmt::format("unknown option '{}'{}", w.text, hint),
          (!protocol_ && (name == "dport" || name == "sport")) ? "needs-protocol" : "unknown-option");
    for (++i; i < words_.size() && is_value(words_[i]);) ++i;
    return i;
}

size_t Parser::record_builtin(size_t i, const BuiltinDef& b, const OptionDef& def, bool inverted, OptionArgs args,
                              Span span) {
    auto& use = uses_[static_cast<int>(b.kind)];
    switch (b.kind) {
        case Builtin::match: load(args[0], false); return i;
        case Builtin::jump:
        case Builtin::go_to:
            if (uses_[static_cast<int>(Builtin::jump)].present || uses_[static_cast<int>(Builtin::go_to)].present) {
                error(span, "only one target (-j or -g) may be given", "duplicate-target");
                return i;
            }
            goto_ = b.kind == Builtin::go_to;
            use = {inverted, args, span, true};
            if (!goto_) load(args[0], true);
            return i;
        default: break;
    }
    if (use.present) {
        error(span, fmt::format("option --{} given twice", def.name), "duplicate-option");
        return i;
    }
    use = {inverted, args, span, true};
    if (b.kind == Builtin::protocol) {
        protocol_ = values_.protocol(args[0]);
        if (!protocol_) failed_ = true;
        protocol_inverted_ = inverted;
    }
    return i;
}

// iptables refuses every option of these modules given twice in one match ("can only be used
// once"); a second `-m` of the same module is a match of its own.
size_t Parser::record_extension_option(size_t i, const Resolved& r, bool inverted, OptionArgs args, Span span) {
    auto& options = r.owner->use.options;
    auto earlier = std::find_if(options.begin(), options.end(),
                                [&](const OptionUse& o) { return o.def->canonical() == r.ext_def->canonical(); });
    if (earlier != options.end()) {
        diags_
            .error(span,
                   fmt::format("option --{} given twice in one {} {}", r.ext_def->canonical(), r.owner->use.name,
                               r.owner->is_target ? "target" : "match"),
                   "duplicate-option")
            .notes.push_back(Diagnostic{Severity::note, earlier->span, "first given here", "duplicate-option", {}});
        failed_ = true;
        return i;
    }
    options.push_back(OptionUse{r.ext_def, inverted, std::move(args), span});
    return i;
}

size_t Parser::option(size_t i, bool inverted, Span invert_span) {
    const Word& w = words_[i];
    auto n = option_name(w);
    if (!n) return i + 1;
    Span name_span = w.span;
    Resolved r;
    std::optional<size_t> taken;
    auto candidates = resolve(i, *n, inverted, name_span, r, taken);
    if (taken) return *taken;
    if (!r.frame_name.empty()) return command_option(i, r.frame_name, n->attached);
    if (candidates.size() > 1) {
        error(name_span,
              fmt::format("option '--{}' is ambiguous: it could be --{}", n->name, fmt::join(candidates, ", --")),
              "ambiguous-option");
        return i + 1;
    }
    if (!r.found()) return unknown_option(i, w, n->name);
    const OptionDef& def = r.builtin ? r.builtin->def : *r.ext_def;
    auto whole_word_value = [](Builtin kind) {
        return kind == Builtin::protocol || kind == Builtin::source || kind == Builtin::destination ||
               kind == Builtin::in_interface || kind == Builtin::out_interface || kind == Builtin::jump;
    };
    if (n->attached && r.builtin && whole_word_value(r.builtin->kind)) {
        // iptables 1.8 takes these values from the whole word (argv[optind - 1]): '-ptcp' and
        // '--source=1.2.3.4' are refused, '-ieth0' names an interface "-ieth0" (seen with iptables-nft).
        error(w.span,
              fmt::format("iptables reads '{}' whole as the value of --{}, not '{}': write '--{} {}'", w.text, def.name,
                          *n->attached, def.name, *n->attached),
              "attached-value");
        return i + 1;
    }
    if (inverted && !def.invertible) {
        error(invert_span, fmt::format("option --{} cannot be negated", def.name), "bad-negation");
        inverted = false;
    }
    ++i;
    OptionArgs args;
    if (n->attached) {
        if (def.args == 0) {
            error(name_span, fmt::format("option --{} takes no value", def.name), "unexpected-argument");
            return i;
        }
        args.push_back(Word{*n->attached, name_span, w.quoted, false});
        OptionDef rest = def;
        rest.args = def.args - 1;
        if (!read_args(i, rest, name_span, inverted, args)) return i;
    } else if (!read_args(i, def, name_span, inverted, args)) {
        return i;
    }
    Span span = args.empty() ? name_span : Span::join(name_span, args.back().span);
    if (inverted) span = Span::join(invert_span, span);
    if (r.builtin) return record_builtin(i, *r.builtin, def, inverted, std::move(args), span);
    return record_extension_option(i, r, inverted, std::move(args), span);
}

// A prefix of a command option's name (`--app INPUT`): the command option, read as if written whole.
size_t Parser::command_option(size_t i, std::string_view full_name, std::optional<std::string_view> attached) {
    Words whole = words_;
    whole[i].text = store_.keep(fmt::format("--{}{}{}", full_name, attached ? "=" : "", attached.value_or("")));
    size_t used = frame_->take(whole, i);
    if (used == end_of_command) {
        ended_ = true;
        return words_.size();
    }
    return i + std::max<size_t>(used, 1);
}

// A module of the other family's tool (icmp, TTL in ip6tables): reported; the caller loads it
// without its lowering, so that its options are still its own.
bool Parser::of_other_family(const Extension* e, std::string_view name, Span span, std::string_view kind) {
    if (!e || !e->only_family || *e->only_family == family_) return false;
    error(span,
          fmt::format("the {} {} is {}'s alone: {} cannot load it", name, kind,
                      *e->only_family == Family::ipv4 ? "iptables" : "ip6tables",
                      family_ == Family::ipv4 ? "iptables" : "ip6tables"),
          "wrong-family");
    return true;
}

void Parser::load(const Word& name, bool target) {
    if (target) {
        const Extension* e = find_target(name.text);
        if (of_other_family(e, name.text, name.span, "target"))
            loaded_.push_back({nullptr, ExtensionUse{name.text, name.span, {}}, true});
        else if (e)
            loaded_.push_back({e, ExtensionUse{name.text, name.span, {}}, true});
        else if (is_known_iptables_target(name.text))
            loaded_.push_back({nullptr, ExtensionUse{name.text, name.span, {}}, true});
        return;  // anything else names a chain; the checks verify it exists
    }
    std::string_view n = name.text;
    if (n == "icmpv6" || n == "ipv6-icmp") n = "icmp6";
    const Extension* e = find_match(n);
    if (of_other_family(e, n, name.span, "match")) {
        loaded_.push_back({nullptr, ExtensionUse{n, name.span, {}}, false});  // its options are its own
    } else if (e) {
        loaded_.push_back({e, ExtensionUse{n, name.span, {}}, false});
    } else if (is_known_iptables_match(n)) {
        loaded_.push_back({nullptr, ExtensionUse{n, name.span, {}}, false});
    } else {
        error(name.span, fmt::format("unknown match '{}'{}", n, did_you_mean(n, all_match_names())), "unknown-match");
        // Its options follow: take them as the unknown module's, not as more errors.
        loaded_.push_back({nullptr, ExtensionUse{n, name.span, {}}, false});
    }
}

void Parser::lower_interfaces(Rule& rule) {
    for (auto [kind, key] :
         {std::pair{Builtin::in_interface, MetaKey::iifname}, std::pair{Builtin::out_interface, MetaKey::oifname}}) {
        const auto& use = uses_[static_cast<int>(kind)];
        if (!use.present) continue;
        auto name = values_.interface(use.args[0]);
        if (!name) {
            failed_ = true;
            continue;
        }
        if (kind == Builtin::in_interface) {
            rule.has_in_interface = true;
            rule.origin.in_interface_span = use.span;
        } else {
            rule.has_out_interface = true;
            rule.origin.out_interface_span = use.span;
        }
        if (name->wildcard && name->name.empty()) {
            if (!use.inverted) continue;  // `-i +` matches every interface
            // `! -i +` never matches: compare with a name no interface can have.
            name = InterfaceName{"INVAL/D", false};
            rule.conditions.push_back(Condition{Compare{MetaSelector{key}, Op::eq, *name, {}}, use.span});
            continue;
        }
        rule.conditions.push_back(
            Condition{Compare{MetaSelector{key}, use.inverted ? Op::neq : Op::eq, *name, {}}, use.span});
    }
}

void Parser::lower_addresses(Builtin which, AddressList& list) {
    const auto& use = uses_[static_cast<int>(which)];
    if (!use.present) return;
    list.inverted = use.inverted;
    list.span = use.span;
    for (const Word& item : split_list(use.args[0])) {
        auto p = values_.prefix(item.text, item.span, family_);
        if (!p) {
            failed_ = true;
            continue;
        }
        if (prefix_length(p->mask) == 0u) {
            if (!use.inverted) {
                list.prefixes.emplace_back();  // 0/0 matches everything
                continue;
            }
            // iptables-legacy keeps such a rule; iptables-nft fails to add it (EINVAL).
            diags_.warning(use.span, "a negated 0/0 matches no packet: this rule never applies", "never-matches");
        }
        list.prefixes.emplace_back(*p);
    }
    if (list.prefixes.size() > 1 && use.inverted)
        error(use.span, "'!' is not allowed with several addresses", "bad-negation");
}

std::optional<Condition> Parser::AddressList::test(size_t which, Family family) const {
    if (prefixes.empty() || !prefixes[which]) return std::nullopt;
    PayloadSelector selector{family == Family::ipv4 ? (source ? PayloadField::ip_saddr : PayloadField::ip_daddr)
                                                    : (source ? PayloadField::ip6_saddr : PayloadField::ip6_daddr)};
    return Condition{Compare{selector, inverted ? Op::neq : Op::eq, *prefixes[which], {}}, span};
}

void Parser::lower_target(Rule& rule, LowerContext& ctx) {
    const auto& jump = uses_[static_cast<int>(Builtin::jump)];
    const auto& go = uses_[static_cast<int>(Builtin::go_to)];
    const auto& use = jump.present ? jump : go;
    if (!use.present) return;
    const Word& name = use.args[0];
    rule.origin.target_span = use.span;
    if (name.text.empty()) {
        error(use.span,
              goto_ ? "-g needs a chain name, not an empty word" : "-j needs a target or chain name, not an empty word",
              "bad-target");
        return;
    }
    if (goto_) {
        if (name.text == "ACCEPT" || name.text == "DROP" || name.text == "RETURN" || find_target(name.text) ||
            is_known_iptables_target(name.text))
            error(use.span, fmt::format("-g needs a user chain, not the target {}", name.text), "bad-goto");
        rule.statements.push_back(Statement{Verdict{VerdictKind::go_to, name.text}, use.span});
        return;
    }
    if (name.text == "ACCEPT")
        rule.statements.push_back(Statement{Verdict{VerdictKind::accept, ""}, use.span});
    else if (name.text == "DROP")
        rule.statements.push_back(Statement{Verdict{VerdictKind::drop, ""}, use.span});
    else if (name.text == "RETURN")
        rule.statements.push_back(Statement{Verdict{VerdictKind::return_, ""}, use.span});
    else if (name.text == "QUEUE")
        rule.statements.push_back(Statement{Queue{}, use.span});
    else {
        for (auto& l : loaded_)
            if (l.is_target) {
                if (l.extension) {
                    rule.target = l.extension->name;
                    if (check_option_rules(*l.extension, l.use, true, diags_)) l.extension->lower(l.use, ctx);
                } else
                    ctx.untranslatable(l.use, untranslatable_reason(l.use.name, true));
                return;
            }
        rule.statements.push_back(Statement{Verdict{VerdictKind::jump, name.text}, use.span});
    }
}

void Parser::lower(Rule& rule) {
    const auto& counters = uses_[static_cast<int>(Builtin::counters)];
    if (counters.present) {
        auto p = values_.decimal_count(counters.args[0], "packet count");
        auto b = values_.decimal_count(counters.args[1], "byte count");
        if (p && b)
            rule.origin.counters = Counters{*p, *b};
        else
            failed_ = true;
    }
    lower_interfaces(rule);
    const auto& frag = uses_[static_cast<int>(Builtin::fragment)];
    if (frag.present) {
        if (family_ == Family::ipv6) {
            error(frag.span, "-f is not available in ip6tables; use -m frag", "bad-option");
        } else {
            rule.conditions.push_back(
                Condition{Compare{PayloadSelector{PayloadField::ip_frag_off},
                                  frag.inverted ? Op::masked_eq : Op::masked_neq, uint64_t{0}, uint64_t{0x1fff}},
                          frag.span});
        }
    }
    const auto& proto = uses_[static_cast<int>(Builtin::protocol)];
    size_t protocol_index = rule.conditions.size();
    bool has_protocol_condition = false;
    if (proto.present && protocol_ && *protocol_ != 0) {
        Selector sel = family_ == Family::ipv4 ? Selector{PayloadSelector{PayloadField::ip_protocol}}
                                               : Selector{MetaSelector{MetaKey::l4proto}};
        rule.conditions.push_back(
            Condition{Compare{sel, proto.inverted ? Op::neq : Op::eq, uint64_t{*protocol_}, {}}, proto.span});
        has_protocol_condition = true;
    } else if (proto.present && protocol_ && *protocol_ == 0 && proto.inverted) {
        error(proto.span, "'! -p all' would match no packet", "bad-negation");
    }
    addresses_at_ = rule.conditions.size();
    lower_addresses(Builtin::source, sources_);
    lower_addresses(Builtin::destination, destinations_);

    LowerContext ctx{family_,
                     protocol_inverted_ ? std::nullopt : protocol_,
                     protocol_inverted_,
                     diags_,
                     values_,
                     store_,
                     rule,
                     proto.span,
                     protocol_};
    size_t errors_before = diags_.error_count();
    uint32_t modules = 2166136261u;  // FNV-1a over the names, each ended by a NUL
    for (const auto& l : loaded_)
        if (!l.is_target) {
            for (char c : l.use.name) modules = (modules ^ static_cast<uint8_t>(c)) * 16777619u;
            modules *= 16777619u;
        }
    rule.match_modules = modules;
    for (auto& l : loaded_) {
        if (l.is_target) continue;
        if (!l.extension) {
            ctx.untranslatable(l.use, untranslatable_reason(l.use.name, false));
            continue;
        }
        if (check_option_rules(*l.extension, l.use, false, diags_)) l.extension->lower(l.use, ctx);
    }
    // Packets without a connection need an nft rule of their own (Rule::connectionless_states),
    // which would keep a rate or a count apart from the other's: known once every match is lowered.
    if (rule.connectionless_states && std::any_of(rule.conditions.begin(), rule.conditions.end(),
                                                  [](const Condition& c) { return c.keeps_state(); })) {
        auto conntrack =
            std::find_if(loaded_.begin(), loaded_.end(), [](auto& l) { return l.use.name == "conntrack"; });
        ctx.untranslatable(conntrack->use,
                           "packets without a connection, which this --ctstate lets through whatever the other "
                           "options say, need an nft rule of their own, and a rate or count in the rule would then "
                           "be kept twice");
    }
    lower_target(rule, ctx);
    if (diags_.error_count() > errors_before) failed_ = true;

    // `-p tcp -m tcp`: the protocol test is the one the protocol's own match needs.
    if (has_protocol_condition && !proto.inverted) {
        std::string_view match = protocol_match(*protocol_);
        rule.conditions[protocol_index].protocol_of_match =
            !match.empty() &&
            std::any_of(loaded_.begin(), loaded_.end(), [&](auto& l) { return !l.is_target && l.use.name == match; });
    }
}

}  // namespace

std::optional<KernelRules> parse_rule_spec(const Words& words, size_t begin, Family family, TextStore& store,
                                           Diagnostics& diags, const FrameOptions& frame) {
    Parser p(words, family, store, diags);
    return p.run(begin, frame);
}

}  // namespace ipt2nft::grammar
