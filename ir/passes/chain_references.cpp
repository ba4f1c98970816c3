// Chain graph helpers, computed from the Ruleset each time: never stored twice.
#include "ir/passes/chain_references.hpp"

#include <deque>

namespace ipt2nft {

std::vector<ChainReference> all_references(const Table& table) {
    std::vector<ChainReference> out;
    for (const auto& ch : table.chains)
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements)
                if (auto* v = std::get_if<Verdict>(&s.action); v && (v->kind == VerdictKind::jump || v->kind == VerdictKind::go_to))
                    out.push_back({&ch, &r, v});
    return out;
}

std::vector<ChainReference> find_references(const Table& table, std::string_view chain) {
    std::vector<ChainReference> out;
    for (auto& ref : all_references(table))
        if (ref.verdict->chain == chain) out.push_back(ref);
    return out;
}

std::unordered_map<std::string, std::set<Hook>> reaching_hooks(const Table& table) {
    std::unordered_map<std::string, std::vector<std::string>> edges;
    for (auto& ref : all_references(table)) edges[ref.from->name].push_back(ref.verdict->chain);
    std::unordered_map<std::string, std::set<Hook>> hooks;
    for (const auto& ch : table.chains) {
        if (!ch.builtin) continue;
        const BuiltinChain* b = find_builtin_chain(table.name, ch.name);
        if (!b) continue;
        std::deque<std::string> queue{ch.name};
        while (!queue.empty()) {
            std::string n = queue.front();
            queue.pop_front();
            if (!hooks[n].insert(b->hook).second) continue;
            for (const auto& next : edges[n]) queue.push_back(next);
        }
    }
    return hooks;
}

}  // namespace ipt2nft
