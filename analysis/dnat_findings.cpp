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

FilterPassage filter_passage(const sim::CompiledTable& filter, const TableFlow& flow, PacketSpace& space) {
    FilterPassage passage;
    passage.filter = &filter;
    passage.ct_state = space.field_variables({FieldSpace::Kind::ct, NFT_CT_STATE}, 0, 4);
    passage.fresh = traffic({ct_state(NF_CT_STATE_BIT(IP_CT_NEW))}, filter.family, space);
    for (size_t local = 0; local < 2; ++local) {
        auto it = filter.index.find(local ? "INPUT" : "FORWARD");
        if (it == filter.index.end()) continue;
        passage.chains[local] = it->second;
        const auto& decided = flow.summaries[it->second].decided;
        passage.passing[local] =
            !(decided[static_cast<size_t>(Decision::drop)] | decided[static_cast<size_t>(Decision::reject)]);
    }
    return passage;
}

void dnat_findings(const sim::CompiledTable& nat, const ChainWalk& walk, const FilterPassage& filter,
                   std::vector<Diagnostic>& out) {
    if (!filter.filter || (filter.passing[0] == bddtrue && filter.passing[1] == bddtrue)) return;
    for (size_t r = 0; r < walk.rules.size(); ++r) {
        const RuleSets& rule = walk.rules[r];
        bool local = rule.to_host;
        if (rule.redirected.empty() || filter.passing[local] == bddtrue) continue;
        bdd packets = bdd_appex(walk.reach[r], rule.must, bddop_and, filter.ct_state);
        for (const auto& w : rule.redirected) packets = bdd_exist(packets, w.variables) & w.assigned;
        packets &= filter.fresh;
        if (packets == bddfalse || (packets & filter.passing[local]) != bddfalse) continue;
        Diagnostic d{Severity::warning,
                     nat.chains[walk.chain].rules[r].span,
                     local ? "the connections this rule redirects to the host are all dropped by the filter table's "
                             "INPUT"
                           : "the connections this rule sends on are all dropped by the filter table's FORWARD (where "
                             "they go when the new address is not the host's): accept them there",
                     "dnat-blocked",
                     {}};
        const auto& chain = filter.filter->chains[filter.chains[local]];
        Span at = chain.policy_span.valid() ? chain.policy_span : chain.declared;
        d.notes.push_back(
            {Severity::note, at, fmt::format("chain {} of the filter table", chain.name), "dnat-blocked", {}});
        out.push_back(std::move(d));
    }
}

}  // namespace ipt2nft::analysis
