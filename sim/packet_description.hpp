// A packet described in one line: `in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags S`.
#pragma once
#include <string>
#include <string_view>
#include <variant>

#include "sim/packet.hpp"

namespace ipt2nft::sim {

struct DescriptionError {
    size_t column;  // 1-based, of the word that is wrong
    std::string message;
};

// The words are documented in docs/sim.md; the family follows from the addresses.
std::variant<PacketSpec, DescriptionError> parse_packet(std::string_view description);

// The words that describe `packet` (parse_packet reads them back to the same fields).
std::string describe(const PacketSpec& packet);

}  // namespace ipt2nft::sim
