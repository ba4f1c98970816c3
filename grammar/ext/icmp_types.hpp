// ICMP and ICMPv6 type/code names as iptables spells them.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace ipt2nft::grammar {

struct IcmpName {
    std::string_view name;
    uint8_t type;
    std::optional<uint8_t> code;  // names like port-unreachable fix the code too
};

const IcmpName* find_icmp_name(std::string_view name, bool v6);

}  // namespace ipt2nft::grammar
