// The host and the packets of sim and test, their mistakes reported where they were written.
#include "driver/sim_inputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "sim/compiled_file.hpp"
#include "sim/packet_description.hpp"

namespace ipt2nft {

std::optional<sim::CompiledRuleset> simulated_rules(TranslateRequest& input, TranslateResult& result) {
    auto& inputs = input.inputs;
    auto compiled = std::find_if(inputs.begin(), inputs.end(),
                                 [](const TranslateInput& i) { return sim::is_compiled_file(i.text); });
    if (compiled == inputs.end()) {
        if (!kernel_ruleset(input, result)) return std::nullopt;
        return sim::compile(result.ruleset);
    }
    if (inputs.size() > 1) {
        result.diags.error(Span{},
                           fmt::format("{} is a compiled ruleset (translate --format=sim), which is read alone: give "
                                       "it without other rules files",
                                       compiled->name),
                           "compiled-ruleset-not-alone");
        return std::nullopt;
    }
    uint32_t file = result.sources.add(std::move(compiled->name), std::move(compiled->text));
    return sim::read_compiled_file(file, result.sources, result.diags);
}

bool build_host(const sim::HostSpec& spec, sim::Host& host, Diagnostics& diags, Span where) {
    for (const auto& i : spec.interfaces)
        if (auto error = host.add_interface(i)) return diags.error(where, "interface " + *error, "bad-host"), false;
    for (const auto& r : spec.routes)
        if (auto error = host.add_route(r)) return diags.error(where, "route " + *error, "bad-host"), false;
    return true;
}

bool parse_packets(const std::vector<std::string>& descriptions, std::vector<sim::PacketSpec>& packets,
                   Diagnostics& diags, const std::string& label, Span where) {
    for (size_t i = 0; i < descriptions.size(); ++i) {
        auto parsed = sim::parse_packet(descriptions[i]);
        if (auto* e = std::get_if<sim::DescriptionError>(&parsed)) {
            diags.error(
                where, fmt::format("{} {} ('{}'), column {}: {}", label, i + 1, descriptions[i], e->column, e->message),
                "bad-packet");
            return false;
        }
        packets.push_back(std::get<sim::PacketSpec>(parsed));
    }
    return true;
}

}  // namespace ipt2nft
