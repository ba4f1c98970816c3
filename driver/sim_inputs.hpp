// What sim and test both read besides the rules: the host and packet descriptions.
#pragma once
#include <string>
#include <vector>

#include "ir/diagnostics.hpp"
#include "sim/host.hpp"
#include "sim/packet.hpp"
#include "sim/test_suite.hpp"

namespace ipt2nft {

// The host of `spec` into `host`; false, with an error at `where`, when an interface or a route
// is wrong.
bool build_host(const sim::HostSpec& spec, sim::Host& host, Diagnostics& diags, Span where = {});

// Each description parsed, in order; false, with an error at `where` naming `label` and the
// packet's number and column, at the first that is wrong.
bool parse_packets(const std::vector<std::string>& descriptions, std::vector<sim::PacketSpec>& packets,
                   Diagnostics& diags, const std::string& label, Span where = {});

}  // namespace ipt2nft
