// Every rule lowered once to the program apply would send; base chains ordered per hook.
#include "sim/compiled_ruleset.hpp"

#include <linux/netfilter/nf_tables.h>

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

// The equality test a rule begins with, on a field loaded without side effects: the load and
// the value; nullptr when the rule begins otherwise.
const vm::Cmp* leading_equality(const CompiledRule& rule) {
    const auto& e = rule.program.expressions;
    if (e.size() < 2) return nullptr;
    const auto* cmp = std::get_if<vm::Cmp>(&e[1]);
    if (!cmp || cmp->op != NFT_CMP_EQ) return nullptr;
    if (const auto* load = std::get_if<vm::PayloadLoad>(&e[0]))
        return load->dreg == cmp->sreg && load->length == cmp->data.size() ? cmp : nullptr;
    if (const auto* load = std::get_if<vm::MetaLoad>(&e[0])) return load->dreg == cmp->sreg ? cmp : nullptr;
    return nullptr;
}

bool same_load(const vm::Expression& a, const vm::Expression& b) {
    if (const auto* x = std::get_if<vm::PayloadLoad>(&a)) {
        const auto* y = std::get_if<vm::PayloadLoad>(&b);
        return y && x->base == y->base && x->offset == y->offset && x->length == y->length && x->dreg == y->dreg;
    }
    const auto* x = std::get_if<vm::MetaLoad>(&a);
    const auto* y = std::get_if<vm::MetaLoad>(&b);
    return x && y && x->key == y->key && x->dreg == y->dreg;
}

// Runs long enough to be worth a look-up.
constexpr size_t shortest_run = 8;

void index_runs(CompiledChain& chain) {
    const auto& rules = chain.rules;
    chain.run_of.assign(rules.size(), -1);
    for (size_t begin = 0; begin < rules.size();) {
        const vm::Cmp* first = leading_equality(rules[begin]);
        size_t end = begin + 1;
        while (first && end < rules.size()) {
            const vm::Cmp* next = leading_equality(rules[end]);
            if (!next || next->data.size() != first->data.size() ||
                !same_load(rules[end].program.expressions[0], rules[begin].program.expressions[0]))
                break;
            ++end;
        }
        if (first && end - begin >= shortest_run) {
            KeyedRun run{begin, end, static_cast<uint32_t>(first->data.size()), {}};
            for (size_t i = begin; i < end; ++i) {
                const auto& data = std::get<vm::Cmp>(rules[i].program.expressions[1]).data;
                run.positions[std::string(data.begin(), data.end())].push_back(i);
                chain.run_of[i] = static_cast<int32_t>(chain.runs.size());
            }
            chain.runs.push_back(std::move(run));
        }
        begin = end;
    }
}

}  // namespace

void index_ruleset(CompiledRuleset& ruleset) {
    for (auto& family : ruleset.hooks)
        for (auto& chains : family) chains.clear();
    ruleset.conntrack = {};
    for (size_t t = 0; t < ruleset.tables.size(); ++t) {
        CompiledTable& table = ruleset.tables[t];
        table.index.clear();
        for (size_t c = 0; c < table.chains.size(); ++c) {
            CompiledChain& chain = table.chains[c];
            chain.runs.clear();
            index_runs(chain);
            table.index.emplace(chain.name, c);
            for (const auto& rule : chain.rules)
                if (needs_conntrack(rule.program)) ruleset.conntrack[static_cast<size_t>(table.family)] = true;
            if (chain.base)
                ruleset.hooks[static_cast<size_t>(table.family)][static_cast<size_t>(chain.base->hook)].push_back(
                    {t, c, chain.base->priority});
        }
    }
    // The kernel calls a hook's chains by priority; at equal priority, in the order registered.
    for (auto& family : ruleset.hooks)
        for (auto& chains : family)
            std::stable_sort(chains.begin(), chains.end(),
                             [](const BaseChainRef& a, const BaseChainRef& b) { return a.priority < b.priority; });
}

CompiledRuleset compile(const Ruleset& ruleset) {
    CompiledRuleset out;
    for (const auto& t : ruleset.tables) {
        CompiledTable& table = out.tables.emplace_back(CompiledTable{t.family, t.name, {}, {}});
        for (const auto& ch : t.chains) {
            CompiledChain& chain =
                table.chains.emplace_back(CompiledChain{ch.name,
                                                        {},
                                                        {},
                                                        {},
                                                        ch.builtin ? find_builtin_chain(t.name, ch.name) : nullptr,
                                                        ch.policy,
                                                        ch.policy_span,
                                                        ch.declared});
            chain.rules.reserve(ch.rules.size());
            for (const auto& r : ch.rules)
                chain.rules.push_back({vm::lower_rule(r, t.family, false), r.origin.span, r.origin.comment});
        }
    }
    index_ruleset(out);
    return out;
}

}  // namespace ipt2nft::sim
