// The sim pipeline: the ruleset apply would send, packets walked through it, their traces written.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "driver/translate.hpp"

namespace ipt2nft {

struct SimRequest {
    TranslateRequest input;                       // the rules; its format is not used
    std::vector<std::string> packets;             // descriptions, run in order through one conntrack table
    std::vector<std::string> interfaces, routes;  // --iface, --route
    std::optional<TranslateInput> host_file;      // --host: YAML, as docs/sim.md says
    // --pcap: a capture whose packets run after the described ones, received on
    // capture_interface (--pcap-in), or sent by the host when it is empty.
    std::optional<std::string> capture;
    std::string capture_interface;
    enum class Format { text, json, dot } format = Format::text;
};

struct SimResult {
    TranslateResult translated;  // ok: every packet was run
    bool usage_error = false;    // a packet, interface or route given wrongly (said in `diags`)
};

// Writes the traces to `out` once every packet ran; on errors, nothing.
SimResult simulate(SimRequest request, std::ostream& out);

}  // namespace ipt2nft
