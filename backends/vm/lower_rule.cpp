// A rule's program: its conditions in order, the counter, then its statements.
#include "backends/vm/lower_rule.hpp"

#include "backends/vm/program_builder.hpp"

namespace ipt2nft::vm {

Program lower_rule(const Rule& rule, Family family, bool counters) {
    ProgramBuilder b{{}, family, std::nullopt, false};
    // An implied protocol test is the one nft adds before the header's first field, as the
    // lowering does (implied_protocol_test).
    std::vector<const Condition*> conditions;
    for (size_t i = 0; i < rule.conditions.size(); ++i)
        if (!implied_protocol_test(rule.conditions, i)) conditions.push_back(&rule.conditions[i]);
    lower_conditions(conditions, b);
    b.source = rule.origin.span;
    if (counters) {
        Counter counter;
        if (rule.origin.counters) counter = {rule.origin.counters->packets, rule.origin.counters->bytes};
        b.add(counter);
    }
    for (const auto& s : rule.statements) {
        b.source = s.span;
        lower_statement(s, b);
    }
    return std::move(b.program);
}

}  // namespace ipt2nft::vm
