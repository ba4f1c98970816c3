// Every rule lowered once to the program apply would send; base chains ordered per hook.
#include "sim/compiled_ruleset.hpp"

#include <algorithm>

#include "backends/vm/lower_rule.hpp"

namespace ipt2nft::sim {

namespace {

bool needs_conntrack(const vm::Program& program) {
    return std::any_of(program.expressions.begin(), program.expressions.end(), [](const vm::Expression& e) {
        return std::holds_alternative<vm::CtLoad>(e) || std::holds_alternative<vm::CtSet>(e) ||
               std::holds_alternative<vm::Nat>(e) || std::holds_alternative<vm::PortNat>(e) ||
               std::holds_alternative<vm::ObjectRef>(e);
    });
}

}  // namespace

CompiledRuleset compile(const Ruleset& ruleset) {
    CompiledRuleset out;
    for (const auto& t : ruleset.tables) {
        CompiledTable& table = out.tables.emplace_back(CompiledTable{t.family, t.name, {}, {}});
        for (const auto& ch : t.chains) {
            CompiledChain chain{ch.name, {}, ch.builtin ? find_builtin_chain(t.name, ch.name) : nullptr, ch.policy,
                                ch.policy_span};
            chain.rules.reserve(ch.rules.size());
            for (const auto& r : ch.rules) {
                chain.rules.push_back({vm::lower_rule(r, t.family, false), r.origin.span, r.origin.comment});
                if (needs_conntrack(chain.rules.back().program)) out.conntrack[static_cast<size_t>(t.family)] = true;
            }
            table.index.emplace(chain.name, table.chains.size());
            if (chain.base) {
                auto& at = out.hooks[static_cast<size_t>(t.family)][static_cast<size_t>(chain.base->hook)];
                at.push_back({out.tables.size() - 1, table.chains.size(), chain.base->priority});
            }
            table.chains.push_back(std::move(chain));
        }
    }
    // The kernel calls a hook's chains by priority; at equal priority, in the order registered.
    for (auto& family : out.hooks)
        for (auto& chains : family)
            std::stable_sort(chains.begin(), chains.end(),
                             [](const BaseChainRef& a, const BaseChainRef& b) { return a.priority < b.priority; });
    return out;
}

}  // namespace ipt2nft::sim
