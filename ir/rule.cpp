// What a rule's kernel rules share: the second one's state test, for packets without a connection.
#include "ir/rule.hpp"

namespace ipt2nft {

Condition connectionless_state_test(const Rule& rule) {
    ValueSet states;  // ct state bits: invalid 1, untracked 64
    if (rule.connectionless_states & Rule::connectionless_invalid) states.elements.emplace_back(uint64_t{1});
    if (rule.connectionless_states & Rule::connectionless_untracked) states.elements.emplace_back(uint64_t{64});
    Condition test;
    test.test = Compare{CtSelector{CtKey::state}, Op::any_flag, std::move(states), {}};
    return test;
}

bool implied_protocol_test(const std::vector<Condition>& conditions, size_t i) {
    const Condition& c = conditions[i];
    auto* cmp = std::get_if<Compare>(&c.test);
    auto* protocol = cmp ? std::get_if<uint64_t>(&cmp->value.v) : nullptr;
    if (!c.protocol_of_match || !protocol || cmp->op != Op::eq) return false;
    for (size_t k = i + 1; k < conditions.size(); ++k) {
        auto* later = std::get_if<Compare>(&conditions[k].test);
        if (later) {
            // A TCP option's presence: on a packet of another protocol it is missing, so `missing`
            // needs the protocol test and `exists` does not.
            if (std::holds_alternative<TcpOptionSelector>(later->selector))
                return *protocol == 6 && later->value == Value(uint64_t{1});
            auto* p = std::get_if<PayloadSelector>(&later->selector);
            if (p && describe(p->field).ip_protocol == *protocol) return true;
        }
        if (conditions[k].keeps_state()) return false;
    }
    return false;
}

std::vector<const Condition*> written_conditions(const Rule& rule) {
    std::vector<const Condition*> written;
    for (size_t i = 0; i < rule.conditions.size(); ++i)
        if (!implied_protocol_test(rule.conditions, i)) written.push_back(&rule.conditions[i]);
    return written;
}

}  // namespace ipt2nft
