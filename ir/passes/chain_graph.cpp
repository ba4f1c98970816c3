// ChainGraph: one pass over the rules for the edges, one traversal per hook for reachability.
#include "ir/passes/chain_graph.hpp"

#include <algorithm>

namespace ipt2nft {

ChainGraph::ChainGraph(const Table& table) : first_(table.chains.size() + 1, 0), hooks_(table.chains.size(), 0) {
    size_t jumps = 0;
    for (const auto& ch : table.chains)
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements) jumps += chain_jump(s) != nullptr;
    references_.reserve(jumps);
    for (size_t i = 0; i < table.chains.size(); ++i) {
        first_[i] = references_.size();
        for (const auto& r : table.chains[i].rules)
            for (const auto& s : r.statements) {
                const Verdict* v = chain_jump(s);
                if (!v) continue;
                size_t found = table.index(v->chain);
                size_t to = found == Table::npos ? ChainReference::unknown : found;
                references_.push_back({i, to, &r, v});
            }
    }
    first_.back() = references_.size();
    std::vector<size_t> stack;
    for (size_t i = 0; i < table.chains.size(); ++i) {
        const Chain& ch = table.chains[i];
        const BuiltinChain* b = ch.builtin ? find_builtin_chain(table.name, ch.name) : nullptr;
        if (!b) continue;
        stack.assign(1, i);
        while (!stack.empty()) {
            size_t n = stack.back();
            stack.pop_back();
            if (hooks_[n] & bit(b->hook)) continue;
            hooks_[n] |= bit(b->hook);
            for (const ChainReference& ref : out(n))
                if (ref.to != ChainReference::unknown) stack.push_back(ref.to);
        }
    }
}

std::optional<Hook> ChainGraph::hook_outside(size_t chain, std::span<const Hook> allowed) const {
    for (Hook h : {Hook::prerouting, Hook::input, Hook::forward, Hook::output, Hook::postrouting})
        if (reached_from(chain, h) && std::find(allowed.begin(), allowed.end(), h) == allowed.end()) return h;
    return std::nullopt;
}

std::vector<const Rule*> rules_jumping_to(const Table& table, std::string_view chain, const Chain** from) {
    std::vector<const Rule*> out;
    for (const auto& ch : table.chains) {
        if (ch.name == chain) continue;
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements)
                if (const Verdict* v = chain_jump(s); v && v->chain == chain) {
                    if (from && out.empty()) *from = &ch;
                    out.push_back(&r);
                }
    }
    return out;
}

}  // namespace ipt2nft
