// What the kernel calls at each hook, in order: base chains, conntrack, NAT and confirmation.
#pragma once
#include <array>
#include <vector>

#include "sim/compiled_ruleset.hpp"

namespace ipt2nft::sim {

struct Callee {
    enum class Kind { chain, conntrack, nat, confirm } kind;
    int priority;
    BaseChainRef chain;  // of Kind::chain
};

// [family][hook]: the callees by priority (nat chains are called by the NAT hook, not here).
using HookCallees = std::array<std::array<std::vector<Callee>, 5>, 2>;
HookCallees hook_callees(const CompiledRuleset& rules);

bool is_nat(const CompiledTable& table);

}  // namespace ipt2nft::sim
