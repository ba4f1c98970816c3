// dnat-blocked: connections the nat table sends elsewhere (DNAT, REDIRECT) that the filter table
// then drops on their way to the new destination.
#pragma once
#include <array>
#include <vector>

#include "analysis/chain_flow.hpp"
#include "ir/diagnostics.hpp"

namespace ipt2nft::analysis {

// What a family's filter table lets pass in FORWARD ([0]) and INPUT ([1], where REDIRECT sends).
struct FilterPassage {
    const sim::CompiledTable* filter = nullptr;
    std::array<size_t, 2> chains{SIZE_MAX, SIZE_MAX};
    std::array<bdd, 2> passing{bddtrue, bddtrue};  // the packets not surely dropped or rejected there
    // NAT chains see a connection's first packet only, which the filter table sees as new: the
    // conntrack state's variables, and the packets of new connections.
    bdd ct_state = bddtrue, fresh = bddtrue;
};

FilterPassage filter_passage(const sim::CompiledTable& filter, const TableFlow& flow, PacketSpace& space);

// The chains of a nat table that packets from outside reach: PREROUTING and its callees.
std::vector<bool> reached_from_prerouting(const sim::CompiledTable& nat);

// A finding at each DNAT or REDIRECT of a walked nat chain (one reached from PREROUTING) whose
// connections, as they leave it with their new destination, the filter table surely drops.
void dnat_findings(const sim::CompiledTable& nat, const ChainWalk& walk, const FilterPassage& filter,
                   std::vector<Diagnostic>& out);

}  // namespace ipt2nft::analysis
