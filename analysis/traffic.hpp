// Kinds of traffic as packet sets, written as the kernel programs a rule testing them would be.
#pragma once
#include <string_view>
#include <vector>

#include "analysis/packet_space.hpp"
#include "backends/vm/expressions.hpp"
#include "ir/values.hpp"

namespace ipt2nft::analysis {

// The tests of `ct state` being exactly `bit` (NF_CT_STATE_*), the layer 4 protocol, the
// destination port, the ICMPv6 type, and an interface's name as `-i`/`-o` test it.
std::vector<vm::Expression> ct_state(uint32_t bit);
std::vector<vm::Expression> protocol(uint8_t p);
std::vector<vm::Expression> destination_port(uint16_t port);
std::vector<vm::Expression> icmpv6_type(uint8_t type);
std::vector<vm::Expression> interface(bool input, std::string_view name);

// The packets that pass all the tests.
bdd traffic(const std::vector<std::vector<vm::Expression>>& tests, Family family, PacketSpace& space);

}  // namespace ipt2nft::analysis
