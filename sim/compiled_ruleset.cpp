// Every rule lowered once to the program apply would send; base chains ordered per hook.
#include "sim/compiled_ruleset.hpp"

#include <linux/netfilter/nf_tables.h>

#include <algorithm>
#include <unordered_set>

#include "backends/vm/lower_ipset.hpp"
#include "backends/vm/lower_meter_set.hpp"
#include "backends/vm/lower_rule.hpp"
#include "ir/meters.hpp"
#include "sim/interpreter.hpp"

namespace ipt2nft::sim {

namespace {

// An equality test a rule makes before anything but tests: the load of the field (a header's or
// the metadata's) and the value it must equal.
struct KeyTest {
    const vm::Expression* load;
    const vm::Bytes* value;
};

std::vector<KeyTest> key_tests(const vm::Program& program) {
    const auto& e = program.expressions;
    std::vector<KeyTest> out;
    for (size_t i = 0; i + 1 < e.size() && tests_only(e[i]); ++i) {
        const auto* cmp = std::get_if<vm::Cmp>(&e[i + 1]);
        if (!cmp || cmp->op != NFT_CMP_EQ) continue;
        const auto* payload = std::get_if<vm::PayloadLoad>(&e[i]);
        const auto* meta = std::get_if<vm::MetaLoad>(&e[i]);
        if ((payload && payload->dreg == cmp->sreg && payload->length == cmp->data.size()) ||
            (meta && meta->dreg == cmp->sreg))
            out.push_back({&e[i], &cmp->data});
    }
    return out;
}

bool same_field(const vm::Expression& a, const vm::Expression& b) {
    if (const auto* x = std::get_if<vm::PayloadLoad>(&a)) {
        const auto* y = std::get_if<vm::PayloadLoad>(&b);
        return y && x->base == y->base && x->offset == y->offset && x->length == y->length;
    }
    const auto* x = std::get_if<vm::MetaLoad>(&a);
    const auto* y = std::get_if<vm::MetaLoad>(&b);
    return x && y && x->key == y->key;
}

// The rule's test of the field `of` tests, with a value as long as its.
const KeyTest* test_like(const std::vector<KeyTest>& tests, const KeyTest& of) {
    for (const auto& t : tests)
        if (same_field(*t.load, *of.load) && t.value->size() == of.value->size()) return &t;
    return nullptr;
}

// Runs long enough to be worth a look-up.
constexpr size_t shortest_run = 8;

// The run from `begin` keyed by `candidate`: its end and how many values it tells apart.
std::pair<size_t, size_t> run_of(const std::vector<std::vector<KeyTest>>& tests, size_t begin,
                                 const KeyTest& candidate) {
    size_t end = begin + 1;
    while (end < tests.size() && test_like(tests[end], candidate)) ++end;
    if (end - begin < shortest_run) return {end, 0};
    std::unordered_set<std::string_view> values;
    for (size_t i = begin; i < end; ++i) {
        const vm::Bytes& v = *test_like(tests[i], candidate)->value;
        values.emplace(reinterpret_cast<const char*>(v.data()), v.size());
    }
    return {end, values.size()};
}

void index_runs(CompiledChain& chain) {
    const auto& rules = chain.rules;
    chain.run_of.assign(rules.size(), -1);
    std::vector<std::vector<KeyTest>> tests;
    tests.reserve(rules.size());
    for (const auto& r : rules) tests.push_back(key_tests(r.program));
    for (size_t begin = 0; begin < rules.size();) {
        // Of the first rule's fields, the one the most rules after it test in a row; of those,
        // the one that tells the most values apart.
        const KeyTest* best = nullptr;
        size_t best_end = begin + 1, best_values = 0;
        for (const auto& candidate : tests[begin]) {
            auto [end, values] = run_of(tests, begin, candidate);
            if (end > best_end || (end == best_end && values > best_values))
                best = &candidate, best_end = end, best_values = values;
        }
        if (best && best_end - begin >= shortest_run) {
            KeyedRun run{begin, best_end, *best->load, static_cast<uint32_t>(best->value->size()), {}};
            for (size_t i = begin; i < best_end; ++i) {
                const vm::Bytes& v = *test_like(tests[i], *best)->value;
                run.positions[std::string(v.begin(), v.end())].push_back(i);
                chain.run_of[i] = static_cast<int32_t>(chain.runs.size());
            }
            chain.runs.push_back(std::move(run));
        }
        begin = best_end;
    }
}

// Each rule's jump or goto by the target's position: the walk looks no name up.
void resolve_jumps(CompiledTable& table) {
    for (auto& chain : table.chains)
        for (auto& rule : chain.rules)
            for (const auto& e : rule.program.expressions)
                if (const auto* v = std::get_if<vm::ImmediateVerdict>(&e); v && !v->chain.empty())
                    rule.jumps_to = static_cast<int32_t>(table.index.at(v->chain));
}

// A program as the whole run keeps it, one per rule of the ruleset: without the spare room its
// vectors grew into (a third of it), nor the per-expression sources, which only locate what the
// kernel refuses in a batch (the rule's own span is kept beside it).
vm::Program kept_program(vm::Program program) {
    program.expressions.shrink_to_fit();
    program.sources = {};
    return program;
}

}  // namespace

bool needs_conntrack(const vm::Program& program) {
    return std::any_of(program.expressions.begin(), program.expressions.end(), [](const vm::Expression& e) {
        return std::holds_alternative<vm::CtLoad>(e) || std::holds_alternative<vm::CtSet>(e) ||
               std::holds_alternative<vm::Nat>(e) || std::holds_alternative<vm::PortNat>(e) ||
               std::holds_alternative<vm::ObjectRef>(e);
    });
}

void index_ruleset(CompiledRuleset& ruleset) {
    for (size_t t = 0; t < ruleset.tables.size(); ++t) {
        CompiledTable& table = ruleset.tables[t];
        for (size_t c = 0; c < table.chains.size(); ++c) {
            CompiledChain& chain = table.chains[c];
            index_runs(chain);
            table.index.emplace(chain.name, c);
            for (const auto& rule : chain.rules)
                if (needs_conntrack(rule.program)) ++ruleset.conntrack_rules[static_cast<size_t>(table.family)];
            if (chain.base)
                ruleset.hooks[static_cast<size_t>(table.family)][static_cast<size_t>(chain.base->hook)].push_back(
                    {t, c, chain.base->priority});
        }
        resolve_jumps(table);
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
        CompiledTable& table = out.tables.emplace_back(CompiledTable{t.family, t.name, {}, {}, {}});
        for (const DeclaredIpset& set : t.ipsets) table.sets.push_back(vm::lower_ipset(set, t.family, false));
        for (const MeterSet& set : meter_sets(t)) table.sets.push_back(vm::lower_meter_set(*set.meter, t.family));
        table.chains.reserve(t.chains.size());
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
                chain.rules.push_back(
                    {kept_program(vm::lower_rule(r, t.family, false)), r.origin.span, r.origin.comment});
        }
    }
    index_ruleset(out);
    return out;
}

}  // namespace ipt2nft::sim
