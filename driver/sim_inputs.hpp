// What sim and test both read: the rules, compiled or read compiled, the host and the packets.
#pragma once
#include <string>
#include <vector>

#include "driver/translate.hpp"
#include "ir/diagnostics.hpp"
#include "sim/compiled_ruleset.hpp"
#include "sim/host.hpp"
#include "sim/packet.hpp"
#include "sim/test_suite.hpp"

namespace ipt2nft {

// The rules sim and test run: a compiled ruleset (translate --format=sim) read back, or the inputs
// built and compiled. Nullopt, with the errors in `result`, when there are none.
std::optional<sim::CompiledRuleset> simulated_rules(TranslateRequest& input, TranslateResult& result);

// The host of `spec` into `host`; false, with an error at `where`, when an interface or a route
// is wrong.
bool build_host(const sim::HostSpec& spec, sim::Host& host, Diagnostics& diags, Span where = {});

// Each description parsed, in order; false, with an error at `where` naming `label` and the
// packet's number and column, at the first that is wrong.
bool parse_packets(const std::vector<std::string>& descriptions, std::vector<sim::PacketSpec>& packets,
                   Diagnostics& diags, const std::string& label, Span where = {});

}  // namespace ipt2nft
