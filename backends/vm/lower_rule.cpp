// A rule's programs: its conditions in order, the counter, then its statements.
#include "backends/vm/lower_rule.hpp"

#include "backends/vm/program_builder.hpp"

namespace ipt2nft::vm {

namespace {

Program lower_one(const Rule& rule, Family family, bool counters, bool connectionless) {
    ProgramBuilder b{{}, family, std::nullopt, false};
    // The second rule tests the states of packets without a connection in place of the
    // conntrack match's tests.
    Condition state_test;
    std::vector<const Condition*> conditions;
    if (connectionless) {
        state_test = connectionless_state_test(rule);
        conditions.push_back(&state_test);
    }
    // An implied protocol test is the one nft adds before the header's first field, as the
    // lowering does (implied_protocol_test).
    for (size_t i = 0; i < rule.conditions.size(); ++i) {
        const Condition& c = rule.conditions[i];
        if ((!connectionless || !c.of_conntrack_match) && !implied_protocol_test(rule.conditions, i))
            conditions.push_back(&c);
    }
    lower_conditions(conditions, b);
    if (counters) {
        Counter counter;
        if (rule.origin.counters && !connectionless) counter = {rule.origin.counters->packets, rule.origin.counters->bytes};
        b.add(counter);
    }
    for (const auto& s : rule.statements) lower_statement(s, b);
    return std::move(b.program);
}

}  // namespace

std::vector<Program> lower_rule(const Rule& rule, Family family, bool counters) {
    std::vector<Program> out;
    if (rule.untranslatable()) return out;
    out.push_back(lower_one(rule, family, counters, false));
    if (rule.connectionless_states) out.push_back(lower_one(rule, family, counters, true));
    return out;
}

}  // namespace ipt2nft::vm
