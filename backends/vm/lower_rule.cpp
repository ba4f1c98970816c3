// A rule's program: its conditions in order, the counter, then its statements.
#include "backends/vm/lower_rule.hpp"

#include "backends/vm/program_builder.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::vm {

Program lower_rule(const Rule& rule, Family family, bool counters, InetPlace place) {
    ProgramBuilder b{{}, family, std::nullopt, false};
    b.place = place;
    if (place == InetPlace::own_family) {
        b.source = rule.origin.span;
        Condition guard;
        guard.test = Compare{MetaSelector{MetaKey::nfproto}, Op::eq, Value(uint64_t{nfproto(family)}), std::nullopt};
        lower_condition(guard, b);
    }
    // An implied protocol test is the one nft adds before the header's first field, as the
    // lowering does (implied_protocol_test).
    lower_conditions(written_conditions(rule), b);
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

Program inet_policy_drop(Family family) {
    Rule drop;
    drop.statements.push_back({Verdict{VerdictKind::drop, {}}, {}});
    return lower_rule(drop, family, false, InetPlace::own_family);
}

}  // namespace ipt2nft::vm
