// dnat-blocked: connections the nat table sends elsewhere (DNAT, REDIRECT) that the filter table
// then drops on their way to the new destination.
#pragma once
#include <vector>

#include "analysis/chain_flow.hpp"
#include "ir/diagnostics.hpp"

namespace ipt2nft::analysis {

// The new connections a DNAT or REDIRECT rule surely takes, as they leave it (new destination).
struct Redirect {
    Span span;
    bool local;  // REDIRECT: to the host itself, so on to INPUT; else FORWARD
    bdd packets;
};

// The chains of a nat table that packets from outside reach: PREROUTING and its callees.
std::vector<bool> reached_from_prerouting(const sim::CompiledTable& nat);

// Adds the redirects of a walked nat chain (one of those reached from PREROUTING).
void collect_redirects(const sim::CompiledTable& nat, const ChainWalk& walk, PacketSpace& space,
                       std::vector<Redirect>& out);

// A finding at each redirect whose packets the filter table's FORWARD (INPUT for REDIRECT)
// surely drops or rejects.
void dnat_findings(const sim::CompiledTable& filter, const TableFlow& flow, const std::vector<Redirect>& redirects,
                   std::vector<Diagnostic>& out);

}  // namespace ipt2nft::analysis
