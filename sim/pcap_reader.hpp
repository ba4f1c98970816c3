// Packets of a capture file (libpcap): each frame's IP packet as a packet description would give it.
#pragma once
#include <string>
#include <variant>
#include <vector>

#include "sim/packet.hpp"

namespace ipt2nft::sim {

struct Capture {
    std::vector<PacketSpec> packets;
    std::vector<std::string> skipped;  // frames that hold no IP packet sim can run, and why
};

// The packets of `path` in order, received on `in_interface` (sent by the host when empty), with
// their times from the first; an error message when the file cannot be read.
std::variant<Capture, std::string> read_capture(const std::string& path, const std::string& in_interface);

}  // namespace ipt2nft::sim
