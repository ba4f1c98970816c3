// check_jump_depth: nf_tables follows jumps and gotos on a stack of 16 levels and refuses a
// ruleset in which a chain sits 16 or more jumps below a base chain ("Too many links"), where
// iptables-legacy would take it. Seen in a namespace: INPUT -> C0 -> ... -> C14 loads with
// iptables-nft-restore and nft -f; one chain more is refused by both, empty or not, by jump or goto.
#include <fmt/format.h>

#include <algorithm>

#include "ir/passes/checks.hpp"

namespace ipt2nft {

namespace {

constexpr unsigned refused_depth = 16;  // NFT_JUMP_STACK_SIZE: a chain this deep cannot be entered

}  // namespace

void check_jump_depth(const Table& table, const ChainGraph& graph, Diagnostics& diags) {
    // The deepest each chain is reached, capped at the refused depth: the cap also ends the
    // walk around a loop (reported by check_loops). Each chain deepens at most 16 times.
    std::vector<uint8_t> depth(table.chains.size(), 0);
    std::vector<size_t> pending;
    for (size_t i = 0; i < table.chains.size(); ++i)
        if (table.chains[i].builtin) pending.push_back(i);
    while (!pending.empty()) {
        size_t chain = pending.back();
        pending.pop_back();
        auto below = static_cast<uint8_t>(std::min<unsigned>(depth[chain] + 1u, refused_depth));
        for (const ChainReference& ref : graph.out(chain)) {
            if (ref.to == ChainReference::unknown || table.chains[ref.to].builtin || depth[ref.to] >= below) continue;
            depth[ref.to] = below;
            pending.push_back(ref.to);
        }
    }
    // The jumps that go past the limit: from a chain one level above it.
    for (const ChainReference& ref : graph.references()) {
        if (ref.to == ChainReference::unknown || depth[ref.from] != refused_depth - 1) continue;
        diags.error(ref.rule->origin.target_span,
                    fmt::format("this jump puts chain {} {} jumps below a built-in chain: nf_tables refuses chains "
                                "that deep ({} at most), as iptables-nft does",
                                table.chains[ref.to].name, refused_depth, refused_depth - 1),
                    "jump-too-deep");
    }
}

}  // namespace ipt2nft
