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

}  // namespace ipt2nft
