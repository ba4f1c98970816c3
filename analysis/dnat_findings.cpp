// Each DNAT's taken packets rewritten to their new destination, as new connections, set against
// what the filter table's FORWARD or INPUT surely blocks.
#include "analysis/dnat_findings.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>

#include "analysis/traffic.hpp"

namespace ipt2nft::analysis {

std::vector<bool> reached_from_prerouting(const sim::CompiledTable& nat) {
    std::vector<bool> reached(nat.chains.size(), false);
    std::vector<size_t> todo;
    for (size_t c = 0; c < nat.chains.size(); ++c)
        if (nat.chains[c].base && nat.chains[c].base->hook == Hook::prerouting) todo.push_back(c);
    while (!todo.empty()) {
        size_t c = todo.back();
        todo.pop_back();
        if (reached[c]) continue;
        reached[c] = true;
        for (size_t t : callees(nat, c)) todo.push_back(t);
    }
    return reached;
}

void collect_redirects(const sim::CompiledTable& nat, const ChainWalk& walk, PacketSpace& space,
                       std::vector<Redirect>& out) {
    bdd state, fresh;
    for (size_t r = 0; r < walk.rules.size(); ++r) {
        const RuleSets& rule = walk.rules[r];
        if (rule.redirected.empty()) continue;
        if (fresh == bddfalse) {
            // NAT chains see a connection's first packet only, which the filter table sees as new.
            state = space.field_variables({FieldSpace::Kind::ct, NFT_CT_STATE}, 0, 4);
            fresh = traffic({ct_state(NF_CT_STATE_BIT(IP_CT_NEW))}, nat.family, space);
        }
        bdd packets = bdd_exist(walk.reach[r] & rule.must, state);
        for (const auto& w : rule.redirected) packets = bdd_exist(packets, w.variables) & w.assigned;
        bool local = rule.action.starts_with("redirect");
        if (packets != bddfalse) out.push_back({nat.chains[walk.chain].rules[r].span, local, packets & fresh});
    }
}

void dnat_findings(const sim::CompiledTable& filter, const TableFlow& flow, const std::vector<Redirect>& redirects,
                   std::vector<Diagnostic>& out) {
    for (const auto& redirect : redirects) {
        const char* name = redirect.local ? "INPUT" : "FORWARD";
        auto it = filter.index.find(name);
        if (it == filter.index.end()) continue;
        const auto& decided = flow.summaries[it->second].decided;
        bdd blocked = decided[static_cast<size_t>(Decision::drop)] | decided[static_cast<size_t>(Decision::reject)];
        if ((redirect.packets & !blocked) != bddfalse) continue;
        Diagnostic d{Severity::warning,
                     redirect.span,
                     redirect.local
                         ? "the connections this rule redirects to the host are all dropped by the filter table's INPUT"
                         : "the connections this rule sends on are all dropped by the filter table's FORWARD (where "
                           "they go when the new address is not the host's): accept them there",
                     "dnat-blocked",
                     {}};
        const auto& chain = filter.chains[it->second];
        Span at = chain.policy_span.valid() ? chain.policy_span : chain.declared;
        d.notes.push_back({Severity::note, at, fmt::format("chain {} of the filter table", name), "dnat-blocked", {}});
        out.push_back(std::move(d));
    }
}

}  // namespace ipt2nft::analysis
