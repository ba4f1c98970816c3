// libFuzzer target: arbitrary bytes as a compiled ruleset (translate --format=sim) read back and,
// when it reads, packets of every kind walked through it with their traces written; any crash,
// hang or sanitizer report is a bug: the reader's checks must keep the simulator within its
// registers, sets and chains whatever the file holds.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <variant>

#include "sim/compiled_file.hpp"
#include "sim/packet_description.hpp"
#include "sim/simulator.hpp"
#include "sim/trace_output.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ipt2nft::SourceManager sources;
    ipt2nft::Diagnostics diags;
    uint32_t file = sources.add("fuzz.sim", std::string(reinterpret_cast<const char*>(data), size));
    auto rules = ipt2nft::sim::read_compiled_file(file, sources, diags);
    std::ostringstream out;
    diags.render(sources, out);
    if (!rules) return 0;
    ipt2nft::sim::Simulator simulator(*rules, ipt2nft::sim::Host{});
    const char* packets[] = {"in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags S",
                             "in eth0 tcp 192.0.2.1:22 > 198.51.100.7:40000 flags SA",
                             "udp 192.0.2.1:5353 > 198.51.100.9:53",
                             "in eth1 icmp 10.0.0.7 > 192.0.2.1 type 8",
                             "in eth0 tcp [2001:db8::2]:40000 > [2001:db8:1::1]:22 flags S",
                             "icmpv6 [2001:db8:1::1] > [2001:db8::9] type 128"};
    size_t n = 0;
    for (const char* description : packets) {
        auto spec = ipt2nft::sim::parse_packet(description);
        if (const auto* packet = std::get_if<ipt2nft::sim::PacketSpec>(&spec))
            ipt2nft::sim::print_text(simulator.run(*packet, description), ++n, sources, out);
    }
    return 0;
}
