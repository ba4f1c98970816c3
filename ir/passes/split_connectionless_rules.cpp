// xt_conntrack tests only the state of a packet without a connection, passing over the match's
// other options, where nft's ct tests fail on such a packet: the rule is two in the kernel.
#include "ir/passes/split_connectionless_rules.hpp"

#include <algorithm>
#include <optional>

namespace ipt2nft {

namespace {

Rule second_rule(const Rule& rule) {
    Rule second;
    second.conditions.push_back(connectionless_state_test(rule));
    std::copy_if(rule.conditions.begin(), rule.conditions.end(), std::back_inserter(second.conditions),
                 [](const Condition& c) { return !c.of_conntrack_match; });
    second.statements = rule.statements;
    second.origin = rule.origin;
    second.origin.counters.reset();  // saved counts are the first's
    second.origin.second_of_pair = true;
    second.target = rule.target;
    second.has_in_interface = rule.has_in_interface;
    second.has_out_interface = rule.has_out_interface;
    second.match_modules = rule.match_modules;
    return second;
}

void split(RuleList& rules) {
    if (std::none_of(rules.begin(), rules.end(), [](const Rule& r) { return r.connectionless_states != 0; })) return;
    std::vector<Rule> out;
    out.reserve(rules.size() + 1);
    for (auto& r : rules) {
        std::optional<Rule> second;
        // An untranslatable rule is one comment, whatever the kernel would have made of it.
        if (r.connectionless_states && !r.untranslatable()) second = second_rule(r);
        r.connectionless_states = 0;
        out.push_back(std::move(r));
        if (second) out.push_back(std::move(*second));
    }
    rules.clear();
    for (auto& r : out) rules.push_back(std::move(r));
}

}  // namespace

void split_connectionless_rules(Ruleset& ruleset) {
    for (auto& t : ruleset.tables)
        for (auto& ch : t.chains) split(ch.rules);
}

}  // namespace ipt2nft
