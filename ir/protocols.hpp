// IP protocol numbers: nft's name for each, and the iptables match that reads its header.
#pragma once
#include <cstdint>
#include <string_view>

namespace ipt2nft {

struct Protocol {
    uint8_t number;
    std::string_view nft_name;  // how nft writes it (`ip protocol gre`)
    std::string_view match;     // the iptables match of its header (tcp, icmp6, ...), or empty
};

// nullptr for a protocol nft has no name for (written as its number).
const Protocol* find_protocol(uint8_t number);

// Whether the protocol's header starts with 16-bit source and destination ports (tcp, udp,
// udplite, dccp, sctp), which conntrack keeps in a connection's tuple.
bool has_ports(uint8_t number);

}  // namespace ipt2nft
