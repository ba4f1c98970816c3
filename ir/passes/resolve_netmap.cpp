// NETMAP's way: which address of the packet its prefix NAT maps, found from the hooks that reach its chain.
#include "ir/passes/resolve_netmap.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_nat.h>

#include "ir/passes/chain_graph.hpp"

namespace ipt2nft {

namespace {

Nat* netmap_of(Rule& r) {
    for (auto& s : r.statements)
        if (auto* n = std::get_if<Nat>(&s.action); n && (n->flags & NF_NAT_RANGE_NETMAP)) return n;
    return nullptr;
}

bool has_netmap(Table& t) {
    for (auto& ch : t.chains)
        for (auto& r : ch.rules)
            if (netmap_of(r)) return true;
    return false;
}

}  // namespace

void resolve_netmap(Ruleset& ruleset, Diagnostics& diags) {
    for (auto& t : ruleset.tables) {
        if (!has_netmap(t)) continue;
        ChainGraph graph(t);
        for (size_t c = 0; c < t.chains.size(); ++c) {
            bool source = graph.reached_from(c, Hook::postrouting) || graph.reached_from(c, Hook::input);
            bool destination = graph.reached_from(c, Hook::prerouting) || graph.reached_from(c, Hook::output);
            for (auto& r : t.chains[c].rules) {
                Nat* n = netmap_of(r);
                if (!n) continue;
                if (source && destination)
                    diags.error(r.origin.target_span,
                                fmt::format("chain {} is reached from hooks where NETMAP maps the destination "
                                            "(PREROUTING, OUTPUT) and from hooks where it maps the source "
                                            "(POSTROUTING, INPUT); an nft rule maps one: give each its own chain",
                                            t.chains[c].name),
                                "netmap-both-ways");
                // A chain nothing reaches runs no NETMAP: the destination, as good as the source.
                n->kind = source ? NatKind::snat : NatKind::dnat;
            }
        }
    }
}

}  // namespace ipt2nft
