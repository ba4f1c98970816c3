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
    for (const auto& c : rule.conditions)
        if (!connectionless || !c.of_conntrack_match) conditions.push_back(&c);
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
