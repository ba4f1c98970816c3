// Helpers shared by all extensions: option look-up, untranslatable records, suggestions.
#include "grammar/extension.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace ipt2nft::grammar {

const OptionUse* ExtensionUse::find(std::string_view option) const {
    const OptionUse* found = nullptr;
    for (const auto& o : options)
        if (o.def->name == option || o.def->alias_of == option) found = &o;
    return found;
}

std::string ExtensionUse::text() const {
    std::string out;
    for (const auto& o : options) {
        if (!out.empty()) out += ' ';
        if (o.inverted) out += "! ";
        out += "--";
        out += o.def->name;
        for (const auto& a : o.args) {
            out += ' ';
            out += a.text;
        }
    }
    return out;
}

bool check_option_rules(const Extension& extension, const ExtensionUse& use, bool is_target, Diagnostics& diags) {
    const OptionRules& rules = extension.rules;
    std::string_view kind = is_target ? "target" : "match";
    bool ok = true;
    auto given = [&](std::string_view name) {
        return std::find_if(use.options.begin(), use.options.end(),
                            [&](const OptionUse& o) { return o.def->canonical() == name; });
    };
    auto needs_one_of = [&](const std::vector<std::string_view>& group) {
        if (group.empty() ||
            std::any_of(group.begin(), group.end(), [&](std::string_view n) { return given(n) != use.options.end(); }))
            return;
        diags.error(use.span,
                    fmt::format("the {} {} needs {}--{}", use.name, kind, group.size() > 1 ? "one of " : "",
                                fmt::join(group, ", --")),
                    "missing-option");
        ok = false;
    };
    auto at_most_one_of = [&](const std::vector<std::string_view>& group) {
        const OptionUse* first = nullptr;
        for (const auto& o : use.options) {
            if (std::find(group.begin(), group.end(), o.def->canonical()) == group.end()) continue;
            if (!first) {
                first = &o;
                continue;
            }
            diags
                .error(o.span,
                       fmt::format("--{} cannot be combined with --{} in one {} {}", o.def->canonical(),
                                   first->def->canonical(), use.name, kind),
                       "conflicting-options")
                .notes.push_back(Diagnostic{Severity::note, first->span, "given here", "conflicting-options", {}});
            ok = false;
            return;
        }
    };
    needs_one_of(rules.exactly_one_of);
    at_most_one_of(rules.exactly_one_of);
    needs_one_of(rules.needs_one_of);
    if (rules.needs_an_option && use.options.empty()) {
        diags.error(use.span, fmt::format("the {} {} needs at least one of its options", use.name, kind),
                    "missing-option");
        ok = false;
    }
    for (const auto& group : rules.exclusive) at_most_one_of(group);
    for (auto [option, needed] : rules.requires_) {
        auto o = given(option);
        if (o == use.options.end() || given(needed) != use.options.end()) continue;
        diags.error(o->span, fmt::format("--{} needs --{} in the same {} {}", option, needed, use.name, kind),
                    "missing-option");
        ok = false;
    }
    return ok;
}

void LowerContext::match_masked(Selector selector, const OptionUse& o, HookLimit hook_limit, bool value_masked) {
    auto m = values.mark(o.args[0]);
    if (!m) return;
    if (value_masked) m->first &= m->second;
    if (m->second == UINT32_MAX)
        match(Compare{selector, o.inverted ? Op::neq : Op::eq, uint64_t{m->first}, {}}, o.span, hook_limit);
    else
        match(Compare{selector, o.inverted ? Op::masked_neq : Op::masked_eq, uint64_t{m->first}, uint64_t{m->second}},
              o.span, hook_limit);
}

void LowerContext::untranslatable(const ExtensionUse& use, std::string reason) {
    std::string options = use.text();
    action(Untranslatable{fmt::format("{}{}{}: {}", use.name, options.empty() ? "" : " ", options, reason), {}},
           use.span);
}

std::string_view LowerContext::kept_by_iptables(const Word& w, size_t limit, std::string_view what) {
    if (w.text.size() <= limit) return w.text;
    diags.warning(w.span,
                  fmt::format("{} is longer than {} characters: iptables keeps the first {} without a word, and so "
                              "does this translation",
                              what, limit, limit),
                  "text-cut");
    return w.text.substr(0, limit);
}

std::string_view LowerContext::protocol_word() const {
    switch (protocol.value_or(0)) {
        case 6:
        case 17:
        case 33:
        case 132:
        case 136: return protocol_match(*protocol);
        default: return "";
    }
}

}  // namespace ipt2nft::grammar
