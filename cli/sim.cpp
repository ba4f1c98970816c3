// `ipt2nft sim`: the rules, the host and the packets from the command line; traces on stdout.
#include "driver/sim.hpp"

#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>

#include "cli/colour.hpp"
#include "cli/commands.hpp"
#include "cli/input_options.hpp"

namespace ipt2nft::cli {

namespace {

struct SimOptions {
    InputOptions input;
    SimRequest::Format format = SimRequest::Format::text;
    std::vector<std::string> packets, interfaces, routes;
    std::string host_file, capture, capture_interface;
};

int run_sim(SimOptions& options) {
    SimRequest request;
    set_input_options(options.input, request.input);
    if (!read_inputs(options.input, request.input)) return input_error;
    request.packets = std::move(options.packets);
    request.interfaces = std::move(options.interfaces);
    request.routes = std::move(options.routes);
    request.format = options.format;
    if (!options.host_file.empty() && !(request.host_file = read_side_file(options.host_file))) return input_error;
    if (request.packets.empty() && options.capture.empty()) {
        std::cerr << "ipt2nft: sim needs packets: --packet DESCRIPTION or --pcap FILE\n";
        return usage_error;
    }
    if (!options.capture.empty()) request.capture = options.capture;
    request.capture_interface = options.capture_interface;
    SimResult simulated = simulate(std::move(request), std::cout);
    const TranslateResult& result = simulated.translated;
    result.diags.render(result.sources, std::cerr, colour_for(STDERR_FILENO));
    if (simulated.usage_error) return usage_error;
    return result.ok ? ok : input_error;
}

}  // namespace

void add_sim(CLI::App& app, int& status) {
    auto options = std::make_shared<SimOptions>();
    CLI::App* command = add_ruleset_command(app, "sim",
                                            "walk packets through the ruleset as the kernel would, offline: the "
                                            "chains they pass, the rules that match, NAT and conntrack, the verdict",
                                            options->input);
    command
        ->add_option("--packet", options->packets,
                     "a packet, e.g. 'in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags S' (see docs/sim.md); "
                     "repeatable, run in order through one conntrack table")
        ->type_name("DESCRIPTION");
    command->add_option("--pcap", options->capture, "also the packets of a capture file (libpcap), after them")
        ->type_name("FILE");
    command
        ->add_option("--pcap-in", options->capture_interface,
                     "the interface the capture's packets came in by (without it the host sends them)")
        ->type_name("IFACE");
    command->add_option("--iface", options->interfaces, "a host interface and its addresses: eth0=192.0.2.1/24[,...]")
        ->type_name("NAME=ADDRESS/LENGTH");
    command->add_option("--route", options->routes, "a route: default=eth0 or 10.1.0.0/16=eth1")
        ->type_name("NET=IFACE");
    command->add_option("--host", options->host_file, "the host's interfaces and routes as YAML (see docs/sim.md)")
        ->type_name("FILE");
    static const std::map<std::string, SimRequest::Format> formats{
        {"text", SimRequest::Format::text}, {"json", SimRequest::Format::json}, {"dot", SimRequest::Format::dot}};
    command->add_option("--format", options->format, "text, json or dot (Graphviz)")
        ->transform(CLI::CheckedTransformer(formats));
    command->final_callback([options, &status] { status = run_sim(*options); });
}

}  // namespace ipt2nft::cli
