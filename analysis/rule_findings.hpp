// Rules no packet reaches or that change nothing, and chains nothing calls: lint's findings about
// one table's rules.
#pragma once
#include <vector>

#include "analysis/chain_flow.hpp"
#include "ir/diagnostics.hpp"

namespace ipt2nft::analysis {

// The findings about a walked chain and its rules, added to `out`. Codes: unreachable-rule,
// shadowed-rule, redundant-rule, unused-chain (docs/lint.md). A finding is made only when it
// holds for every packet: what the sets cannot tell hides findings, never makes one.
// `conntrack_rules`: how many rules of the table's family need conntrack (a rule that is all of
// them is never one to delete: without it the kernel would not track connections).
void chain_findings(const sim::CompiledTable& table, const TableFlow& flow, const ChainWalk& walk,
                    size_t conntrack_rules, std::vector<Diagnostic>& out);

}  // namespace ipt2nft::analysis
