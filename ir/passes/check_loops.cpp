// check_loops: the kernel refuses a ruleset whose jumps form a cycle.
#include <fmt/format.h>

#include "ir/passes/checks.hpp"

namespace ipt2nft {

void check_loops(const Table& table, const ChainGraph& graph, Diagnostics& diags) {
    enum class Mark : uint8_t { none, active, done };
    std::vector<Mark> mark(table.chains.size(), Mark::none);
    // Iterative depth-first search: user chain graphs can be deep (kube-proxy).
    std::vector<std::pair<size_t, size_t>> stack;
    for (size_t start = 0; start < table.chains.size(); ++start) {
        if (mark[start] != Mark::none) continue;
        stack.assign(1, {start, 0});
        mark[start] = Mark::active;
        while (!stack.empty()) {
            auto& [chain, next] = stack.back();
            const auto& out = graph.out(chain);
            if (next >= out.size()) {
                mark[chain] = Mark::done;
                stack.pop_back();
                continue;
            }
            const ChainReference& ref = out[next++];
            if (ref.to == ChainReference::unknown) continue;
            if (mark[ref.to] == Mark::active) {
                diags.error(ref.rule->origin.target_span,
                            fmt::format("jump from {} to {} closes a loop: the kernel refuses chain loops",
                                        table.chains[ref.from].name, table.chains[ref.to].name),
                            "chain-loop");
            } else if (mark[ref.to] == Mark::none) {
                mark[ref.to] = Mark::active;
                stack.emplace_back(ref.to, 0);
            }
        }
    }
}

}  // namespace ipt2nft
