// Two walks over a table's chain graph: callees first for what each chain surely decides and
// may change, then callers first for the packets that may reach each rule.
#include "analysis/chain_flow.hpp"

#include <optional>

namespace ipt2nft::analysis {

namespace {

bool is_call(Outcome o) {
    return o == Outcome::jump || o == Outcome::go_to;
}

ChainWalk rules_of(const sim::CompiledTable& table, size_t c, RuleReader& reader, RuleReader::Detail detail) {
    ChainWalk walk{c, {}, {}, bddfalse, {}};
    for (const auto& rule : table.chains[c].rules) {
        RuleSets sets = reader.read(rule.program, detail);
        size_t target = SIZE_MAX;
        if (is_call(sets.outcome))
            if (auto it = table.index.find(sets.chain); it != table.index.end()) target = it->second;
        walk.rules.push_back(std::move(sets));
        walk.targets.push_back(target);
    }
    return walk;
}

// Chains in an order where each comes after every chain it jumps or goes to.
std::vector<size_t> callees_first(const sim::CompiledTable& table) {
    std::vector<size_t> order;
    std::vector<uint8_t> state(table.chains.size(), 0);  // 0 new, 1 open, 2 done
    std::function<void(size_t)> visit = [&](size_t c) {
        if (state[c]) return;  // a loop (refused before lint runs) is cut, not followed
        state[c] = 1;
        for (size_t t : callees(table, c)) visit(t);
        state[c] = 2;
        order.push_back(c);
    };
    for (size_t c = 0; c < table.chains.size(); ++c) visit(c);
    return order;
}

ChainSummary summarize(const sim::CompiledChain& chain, const ChainWalk& walk,
                       const std::vector<ChainSummary>& summaries) {
    ChainSummary s;
    bdd surely = bddtrue;   // entering packets surely still walking this chain, unchanged
    bdd handed = bddfalse;  // entering packets surely handed back to the caller already, unchanged
    // Entering packets surely unchanged, here or handed back (maybe by a RETURN): the same set as
    // `surely` until a RETURN or a goto, so made only then.
    std::optional<bdd> unchanged;
    for (size_t r = 0; r < walk.rules.size(); ++r) {
        const RuleSets& rule = walk.rules[r];
        for (const auto& w : rule.writes) s.writes &= w.variables;
        bdd matched = surely & rule.must;
        bdd altered = rule.may;  // the packets that may leave unseen, decided, or changed
        if (is_final(rule.outcome)) {
            s.decided[static_cast<size_t>(decision_of(rule.outcome))] |= matched;
        } else if (walk.targets[r] != SIZE_MAX) {
            const ChainSummary& callee = summaries[walk.targets[r]];
            for (size_t k = 0; k < decision_kinds; ++k) s.decided[k] |= matched & callee.decided[k];
            s.writes &= callee.writes;
            if (rule.writes.empty() && callee.passes != bddfalse)
                altered = minus(rule.may, callee.passes);  // the callee hands these back
            // A goto's packets the callee hands back go on in this chain's caller.
            if (rule.outcome == Outcome::go_to) handed |= matched & callee.passes;
        }
        if (rule.outcome == Outcome::return_) handed |= matched;
        if (rule.outcome == Outcome::none && rule.writes.empty()) continue;
        bool leaves = rule.outcome == Outcome::return_ || rule.outcome == Outcome::go_to;
        if (leaves && !unchanged) unchanged = surely;
        if (unchanged && rule.outcome != Outcome::return_) unchanged = minus(*unchanged, altered);
        // A jump's packets the callee hands back come back here.
        surely = minus(surely, rule.outcome == Outcome::jump ? altered : rule.may);
    }
    if (chain.base) {
        Decision policy = chain.policy == VerdictKind::drop ? Decision::drop : Decision::accept;
        s.decided[static_cast<size_t>(policy)] |= surely;
    } else {
        s.passes = handed | unchanged.value_or(surely);  // falling off the end returns
    }
    for (const bdd& d : s.decided) s.decided_any |= d;
    return s;
}

// The packets after the rule, of `at` those reaching it.
bdd after_rule(const RuleSets& rule, const ChainSummary* callee, const bdd& at) {
    if (is_final(rule.outcome) || rule.outcome == Outcome::go_to || rule.outcome == Outcome::return_)
        return minus(at, rule.must);
    if (rule.outcome == Outcome::jump && callee)
        return minus(at, rule.must) | bdd_exist(minus(at & rule.may, callee->decided_any), callee->writes);
    if (rule.writes.empty()) return at;
    bdd changed = at & rule.may;
    for (const auto& w : rule.writes) changed = bdd_exist(changed, w.variables) & w.assigned;
    return minus(at, rule.must) | changed;
}

// A union of many sets built pairwise as they come, like a binary counter: slot k holds the union
// of up to 2^k of them, an empty slot the empty set (which a union may pass over). One union after
// another would rebuild a growing set for each of a chain's thousands of callers; keeping every
// set for one balanced union at the end would hold them all.
class Union {
public:
    void add(bdd set) {
        for (size_t k = 0;; ++k) {
            if (k == slots_.size()) slots_.push_back(bddfalse);
            if (slots_[k] == bddfalse) return void(slots_[k] = std::move(set));
            set |= slots_[k];
            slots_[k] = bddfalse;
        }
    }
    bdd take() {
        bdd all = bddfalse;
        for (const bdd& slot : slots_) all |= slot;
        slots_.clear();
        return all;
    }

private:
    std::vector<bdd> slots_;
};

}  // namespace

std::vector<size_t> callees(const sim::CompiledTable& table, size_t c) {
    std::vector<size_t> out;
    for (const auto& rule : table.chains[c].rules)
        for (const auto& e : rule.program.expressions)
            if (const auto* v = std::get_if<vm::ImmediateVerdict>(&e))
                if (v->code == vm::VerdictCode::jump || v->code == vm::VerdictCode::go_to)
                    if (auto it = table.index.find(v->chain); it != table.index.end()) out.push_back(it->second);
    return out;
}

Decision decision_of(Outcome o) {
    switch (o) {
        case Outcome::accept: return Decision::accept;
        case Outcome::drop: return Decision::drop;
        case Outcome::reject: return Decision::reject;
        default: return Decision::other;
    }
}

bdd ChainWalk::taken(size_t r, const std::vector<ChainSummary>& summaries) const {
    const RuleSets& rule = rules[r];
    if (is_final(rule.outcome) || rule.outcome == Outcome::go_to || rule.outcome == Outcome::return_)
        return reach[r] & rule.must;
    if (targets[r] != SIZE_MAX) return reach[r] & rule.must & summaries[targets[r]].decided_any;
    return bddfalse;
}

TableFlow walk_table(const sim::CompiledTable& table, PacketSpace& space,
                     const std::function<void(const TableFlow&, const ChainWalk&)>& visit) {
    size_t n = table.chains.size();
    TableFlow flow{std::vector<ChainSummary>(n), std::vector<std::vector<CallSite>>(n)};
    for (const auto& chain : table.chains)
        for (const auto& rule : chain.rules) declare_fields(rule.program, table.family, space);
    space.make_declared();
    RuleReader reader(space, table.family, &table.sets);
    std::vector<size_t> order = callees_first(table);
    for (size_t c : order)
        flow.summaries[c] =
            summarize(table.chains[c], rules_of(table, c, reader, RuleReader::Detail::decisions), flow.summaries);
    std::vector<Union> sent(n);  // the packets each call site sends a chain, joined as they come
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        ChainWalk walk = rules_of(table, *it, reader, RuleReader::Detail::findings);
        walk.entry = table.chains[*it].base ? bddtrue : sent[*it].take();
        bdd at = walk.entry;
        for (size_t r = 0; r < walk.rules.size(); ++r) {
            walk.reach.push_back(at);
            size_t t = walk.targets[r];
            if (t != SIZE_MAX) {
                flow.callers[t].push_back({*it, r});
                sent[t].add(at & walk.rules[r].may);
            }
            if (r + 1 < walk.rules.size())  // what leaves the last rule is no rule's
                at = after_rule(walk.rules[r], t == SIZE_MAX ? nullptr : &flow.summaries[t], at);
        }
        visit(flow, walk);
    }
    return flow;
}

}  // namespace ipt2nft::analysis
