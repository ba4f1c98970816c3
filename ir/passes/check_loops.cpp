// check_loops: the kernel refuses a ruleset whose jumps from a base chain run in a cycle; a
// cycle no base chain reaches it takes (seen with iptables-nft-restore and nft -f).
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
                std::string message = fmt::format("jump from {} to {} closes a loop", table.chains[ref.from].name,
                                                  table.chains[ref.to].name);
                // The kernel (and nft) follow jumps from base chains only: a loop none of them
                // reaches loads, and would be refused the day one jumps into it.
                if (graph.reached(ref.to))
                    diags.error(ref.rule->origin.target_span,
                                message + ": the kernel refuses a loop a built-in chain reaches", "chain-loop");
                else
                    diags.warning(ref.rule->origin.target_span,
                                  message + " that no built-in chain reaches: the kernel takes it, but would refuse "
                                            "a jump into it",
                                  "chain-loop");
            } else if (mark[ref.to] == Mark::none) {
                mark[ref.to] = Mark::active;
                stack.emplace_back(ref.to, 0);
            }
        }
    }
}

}  // namespace ipt2nft
