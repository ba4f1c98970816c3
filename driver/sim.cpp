// The sim pipeline: kernel ruleset → compiled programs → the host → each packet's trace.
#include "driver/sim.hpp"

#include <fmt/format.h>

#include <variant>

#include "driver/sim_inputs.hpp"
#include "sim/compiled_ruleset.hpp"
#include "sim/packet_description.hpp"
#include "sim/pcap_reader.hpp"
#include "sim/simulator.hpp"
#include "sim/trace_output.hpp"

namespace ipt2nft {

namespace {

// A capture's packets after the described ones, each with its description; the frames that hold
// none sim runs are said, the first few of them.
bool read_packets(const std::string& path, const std::string& interface, std::vector<std::string>& descriptions,
                  std::vector<sim::PacketSpec>& packets, Diagnostics& diags) {
    auto read = sim::read_capture(path, interface);
    if (auto* error = std::get_if<std::string>(&read)) {
        diags.error(Span{}, *error, "bad-capture");
        return false;
    }
    auto& capture = std::get<sim::Capture>(read);
    constexpr size_t told = 5;
    for (size_t i = 0; i < capture.skipped.size() && i < told; ++i)
        diags.warning(Span{}, fmt::format("{}: {}, left out", path, capture.skipped[i]), "capture-frame-skipped");
    if (capture.skipped.size() > told)
        diags.warning(Span{}, fmt::format("{}: {} more frames left out", path, capture.skipped.size() - told),
                      "capture-frame-skipped");
    for (auto& p : capture.packets) {
        descriptions.push_back(sim::describe(p));
        packets.push_back(std::move(p));
    }
    return true;
}

}  // namespace

SimResult simulate(SimRequest request, std::ostream& out) {
    SimResult result;
    TranslateResult& translated = result.translated;
    sim::Host host;
    std::vector<sim::PacketSpec> packets;
    // A host file's mistakes are the input's (exit 1), those of the command line usage errors.
    if (request.host_file) {
        uint32_t file = translated.sources.add(request.host_file->name, request.host_file->text);
        auto from_file = sim::read_host_file(file, translated.sources, translated.diags);
        if (!from_file || !build_host(*from_file, host, translated.diags, Span{file, 0, 0})) return result;
    }
    if (!build_host({request.interfaces, request.routes}, host, translated.diags) ||
        !parse_packets(request.packets, packets, translated.diags, "--packet")) {
        result.usage_error = true;
        return result;
    }
    if (request.capture &&
        !read_packets(*request.capture, request.capture_interface, request.packets, packets, translated.diags))
        return result;
    std::optional<sim::CompiledRuleset> compiled = simulated_rules(request.input, translated);
    if (!compiled) return result;
    if (host.assumed())
        translated.diags.note(Span{},
                              "no host given (--iface, --route): the host is assumed to own the destination of every "
                              "packet it receives, and to send by eth0",
                              "assumed-host");
    sim::Simulator simulator(*compiled, std::move(host));
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
