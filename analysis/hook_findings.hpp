// What a filter table's base chains do to whole kinds of traffic: SSH (or the services given)
// locked out, loopback cut, accepted connections that hang, IPv6 neighbour discovery dropped.
#pragma once
#include <cstdint>
#include <vector>

#include "analysis/chain_flow.hpp"
#include "ir/diagnostics.hpp"

namespace ipt2nft::analysis {

// A service the host must stay reachable by (--keep tcp/22).
struct KeptService {
    uint8_t protocol;  // IPPROTO_TCP or IPPROTO_UDP
    uint16_t port;
};

// Codes: lockout, loopback-blocked, no-established, ipv6-nd-blocked (docs/lint.md). Each says
// what every packet of a kind surely meets: decisions no packet field makes hide findings.
// `keep` empty: SSH is checked, and a lockout is a note.
void hook_findings(const sim::CompiledTable& table, const TableFlow& flow, const std::vector<KeptService>& keep,
                   PacketSpace& space, std::vector<Diagnostic>& out);

}  // namespace ipt2nft::analysis
