// Rules that are two in the kernel: a conntrack match that lets packets without a connection
// through (xt_conntrack tests only their state, nft's ct tests fail on them), and TPROXY (the
// packets no transparent socket takes are dropped by xt_TPROXY and go on past nft's tproxy).
#include "ir/passes/split_rule_pairs.hpp"

#include <algorithm>
#include <optional>

namespace ipt2nft {

namespace {

// The rule's copy that follows it: its origin, no saved counts (they are the first's).
Rule follower(const Rule& rule) {
    Rule second;
    second.origin = rule.origin;
    second.origin.counters.reset();
    second.origin.second_of_pair = true;
    second.target = rule.target;
    second.has_in_interface = rule.has_in_interface;
    second.has_out_interface = rule.has_out_interface;
    second.match_modules = rule.match_modules;
    return second;
}

Rule connectionless_rule(const Rule& rule) {
    Rule second = follower(rule);
    second.conditions.push_back(connectionless_state_test(rule));
    std::copy_if(rule.conditions.begin(), rule.conditions.end(), std::back_inserter(second.conditions),
                 [](const Condition& c) { return !c.of_conntrack_match; });
    second.statements = rule.statements;
    return second;
}

bool proxies(const Rule& rule) {
    return std::any_of(rule.statements.begin(), rule.statements.end(),
                       [](const Statement& s) { return std::holds_alternative<Tproxy>(s.action); });
}

// The same tests, then drop: the packets tproxy let go.
Rule unproxied_rule(const Rule& rule) {
    Rule second = follower(rule);
    second.conditions = rule.conditions;
    Statement& drop = second.statements.emplace_back();
    drop.action.emplace<Verdict>(Verdict{VerdictKind::drop, {}});
    drop.span = rule.origin.target_span;
    return second;
}

std::optional<Rule> second_rule(const Rule& r) {
    // An untranslatable rule is one comment, whatever the kernel would have made of it.
    if (r.untranslatable()) return std::nullopt;
    if (r.connectionless_states) return connectionless_rule(r);
    if (proxies(r)) return unproxied_rule(r);
    return std::nullopt;
}

void split(RuleList& rules) {
    if (std::none_of(rules.begin(), rules.end(), [](const Rule& r) { return r.connectionless_states || proxies(r); }))
        return;
    std::vector<Rule> out;
    out.reserve(rules.size() + 1);
    for (auto& r : rules) {
        std::optional<Rule> second = second_rule(r);
        r.connectionless_states = 0;
        out.push_back(std::move(r));
        if (second) out.push_back(std::move(*second));
    }
    rules.clear();
    for (auto& r : out) rules.push_back(std::move(r));
}

}  // namespace

void split_rule_pairs(Ruleset& ruleset) {
    for (auto& t : ruleset.tables)
        for (auto& ch : t.chains) split(ch.rules);
}

}  // namespace ipt2nft
