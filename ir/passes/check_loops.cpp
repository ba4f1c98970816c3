// check_loops: the kernel refuses a ruleset whose jumps form a cycle.
#include <fmt/format.h>

#include <unordered_map>

#include "ir/passes/chain_references.hpp"
#include "ir/passes/checks.hpp"

namespace ipt2nft {

void check_loops(const Ruleset& ruleset, Diagnostics& diags) {
    for (const auto& t : ruleset.tables) {
        std::unordered_map<std::string, std::vector<ChainReference>> edges;
        for (auto& ref : all_references(t)) edges[ref.from->name].push_back(ref);
        enum class Mark { none, active, done };
        std::unordered_map<std::string, Mark> mark;
        // Iterative depth-first search: user chain graphs can be deep (kube-proxy).
        for (const auto& start : t.chains) {
            if (mark[start.name] != Mark::none) continue;
            std::vector<std::pair<std::string, size_t>> stack{{start.name, 0}};
            mark[start.name] = Mark::active;
            while (!stack.empty()) {
                auto& [name, next] = stack.back();
                auto& out = edges[name];
                if (next >= out.size()) {
                    mark[name] = Mark::done;
                    stack.pop_back();
                    continue;
                }
                const ChainReference& ref = out[next++];
                const std::string& to = ref.verdict->chain;
                if (!t.find(to)) continue;
                Mark& m = mark[to];
                if (m == Mark::active) {
                    diags.error(ref.rule->origin.target_span,
                                fmt::format("jump from {} to {} closes a loop: the kernel refuses chain loops", ref.from->name, to),
                                "chain-loop");
                } else if (m == Mark::none) {
                    m = Mark::active;
                    stack.emplace_back(to, 0);
                }
            }
        }
    }
}

}  // namespace ipt2nft
