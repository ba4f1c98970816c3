// The simulator's speed: packets per second through a ruleset, on one core, traces recorded or not.
// usage: sim_speed RULES PACKETS [--untraced] [--new-flows] [--iface NAME=ADDR/LEN]... [--route NET=IFACE]...
// PACKETS holds one description per line; they run in order, again and again, for a second or more:
// after the first round their connections are known (nat chains are not called again), unless
// --new-flows changes each round's source ports, so that every packet starts a connection.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "driver/sim_inputs.hpp"
#include "driver/translate.hpp"
#include "sim/compiled_ruleset.hpp"
#include "sim/simulator.hpp"

int main(int argc, char** argv) {
    using namespace ipt2nft;
    if (argc < 3) {
        std::cerr << "usage: sim_speed RULES PACKETS [--untraced] [--new-flows] [--iface NAME=ADDR/LEN]... "
                     "[--route NET=IFACE]...\n";
        return 2;
    }
    std::ifstream rules_file(argv[1]), packets_file(argv[2]);
    std::stringstream rules;
    rules << rules_file.rdbuf();
    std::vector<std::string> descriptions;
    for (std::string line; std::getline(packets_file, line);)
        if (!line.empty()) descriptions.push_back(line);
    sim::HostSpec host_spec;
    bool traced = true, new_flows = false;
    for (int i = 3; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--untraced") traced = false;
        if (a == "--new-flows") new_flows = true;
        if (a == "--iface" && i + 1 < argc) host_spec.interfaces.push_back(argv[++i]);
        if (a == "--route" && i + 1 < argc) host_spec.routes.push_back(argv[++i]);
    }
    TranslateRequest request;
    request.inputs.push_back({argv[1], rules.str()});
    TranslateResult result;
    sim::Host host;
    std::vector<sim::PacketSpec> packets;
    if (!kernel_ruleset(request, result) || !build_host(host_spec, host, result.diags) ||
        !parse_packets(descriptions, packets, result.diags, "packet") || packets.empty()) {
        result.diags.render(result.sources, std::cerr);
        return 1;
    }
    sim::CompiledRuleset compiled = sim::compile(result.ruleset);
    sim::Simulator simulator(compiled, host);
    size_t runs = 0, accepted = 0;
    auto start = std::chrono::steady_clock::now();
    double seconds = 0;
    for (uint16_t round = 0; seconds < 1.0; ++round) {
        if (new_flows)
            for (auto& p : packets) p.source_port = static_cast<uint16_t>(p.source_port + 1);
        for (size_t i = 0; i < packets.size(); ++i, ++runs)
            accepted += traced ? simulator.run(packets[i], descriptions[i]).accepted : simulator.verdict(packets[i]);
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    std::cout << runs << " packets in " << seconds << " s: " << static_cast<long>(runs / seconds) << " packets/s ("
              << accepted << " accepted, " << compiled.tables.size() << " tables)\n";
    return 0;
}
