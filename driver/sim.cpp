// The sim pipeline: kernel ruleset → compiled programs → the host → each packet's trace.
#include "driver/sim.hpp"

#include <fmt/format.h>

#include <variant>

#include "sim/compiled_ruleset.hpp"
#include "sim/packet_description.hpp"
#include "sim/simulator.hpp"
#include "sim/trace_output.hpp"

namespace ipt2nft {

namespace {

// The host from --iface and --route; false, having said why, when one is wrong.
bool build_host(const SimRequest& request, sim::Host& host, Diagnostics& diags) {
    for (const auto& i : request.interfaces)
        if (auto error = host.add_interface(i)) return diags.error(Span{}, "--iface " + *error, "usage"), false;
    for (const auto& r : request.routes)
        if (auto error = host.add_route(r)) return diags.error(Span{}, "--route " + *error, "usage"), false;
    return true;
}

bool parse_packets(const SimRequest& request, std::vector<sim::PacketSpec>& packets, Diagnostics& diags) {
    for (size_t i = 0; i < request.packets.size(); ++i) {
        auto parsed = sim::parse_packet(request.packets[i]);
        if (auto* e = std::get_if<sim::DescriptionError>(&parsed)) {
            diags.error(Span{}, fmt::format("--packet {} ('{}'), column {}: {}", i + 1, request.packets[i], e->column, e->message),
                        "usage");
            return false;
        }
        packets.push_back(std::get<sim::PacketSpec>(parsed));
    }
    return true;
}

}  // namespace

SimResult simulate(SimRequest request, std::ostream& out) {
    SimResult result;
    TranslateResult& translated = result.translated;
    sim::Host host;
    std::vector<sim::PacketSpec> packets;
    if (!build_host(request, host, translated.diags) || !parse_packets(request, packets, translated.diags)) {
        result.usage_error = true;
        return result;
    }
    if (!kernel_ruleset(request.input, translated)) return result;
    if (host.assumed())
        translated.diags.note(Span{},
                              "no host given (--iface, --route): the host is assumed to own the destination of every "
                              "packet it receives, and to send by eth0",
                              "assumed-host");
    sim::CompiledRuleset compiled = sim::compile(translated.ruleset);
    sim::Simulator simulator(compiled, std::move(host));
    std::vector<sim::Trace> traces;
    for (size_t i = 0; i < packets.size(); ++i) traces.push_back(simulator.run(packets[i], request.packets[i]));
    switch (request.format) {
        case SimRequest::Format::text:
            for (size_t i = 0; i < traces.size(); ++i) sim::print_text(traces[i], i + 1, translated.sources, out);
            break;
        case SimRequest::Format::json: {
            nlohmann::json all = nlohmann::json::array();
            for (const auto& t : traces) all.push_back(sim::to_json(t, translated.sources));
            // Rule text is the input's bytes, which need not be UTF-8: such bytes are replaced.
            out << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            break;
        }
        case SimRequest::Format::dot: sim::print_dot(traces, translated.sources, out); break;
    }
    translated.ok = true;
    return result;
}

}  // namespace ipt2nft
