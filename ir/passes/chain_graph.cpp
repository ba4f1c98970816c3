// ChainGraph: one pass over the rules for the edges, one traversal per hook for reachability.
#include "ir/passes/chain_graph.hpp"

namespace ipt2nft {

ChainGraph::ChainGraph(const Table& table) : out_(table.chains.size()), hooks_(table.chains.size(), 0) {
    for (size_t i = 0; i < table.chains.size(); ++i)
        for (const auto& r : table.chains[i].rules)
            for (const auto& s : r.statements) {
                auto* v = std::get_if<Verdict>(&s.action);
                if (!v || (v->kind != VerdictKind::jump && v->kind != VerdictKind::go_to)) continue;
                const Chain* target = table.find(v->chain);
                size_t to = target ? static_cast<size_t>(target - table.chains.data()) : ChainReference::unknown;
                out_[i].push_back(references_.size());
                references_.push_back({i, to, &r, v});
            }
    for (size_t i = 0; i < table.chains.size(); ++i) {
        const Chain& ch = table.chains[i];
        const BuiltinChain* b = ch.builtin ? find_builtin_chain(table.name, ch.name) : nullptr;
        if (!b) continue;
        std::vector<size_t> stack{i};
        while (!stack.empty()) {
            size_t n = stack.back();
            stack.pop_back();
            if (hooks_[n] & bit(b->hook)) continue;
            hooks_[n] |= bit(b->hook);
            for (size_t ref : out_[n])
                if (references_[ref].to != ChainReference::unknown) stack.push_back(references_[ref].to);
        }
    }
}

std::vector<const Rule*> rules_jumping_to(const Table& table, std::string_view chain, const Chain** from) {
    std::vector<const Rule*> out;
    for (const auto& ch : table.chains) {
        if (ch.name == chain) continue;
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements)
                if (auto* v = std::get_if<Verdict>(&s.action);
                    v && (v->kind == VerdictKind::jump || v->kind == VerdictKind::go_to) && v->chain == chain) {
                    if (from && out.empty()) *from = &ch;
                    out.push_back(&r);
                }
    }
    return out;
}

}  // namespace ipt2nft
