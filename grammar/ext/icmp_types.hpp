// ICMP and ICMPv6 type/code names as iptables spells them.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ipt2nft::grammar {

struct IcmpName {
    std::string_view name;
    uint8_t type;
    std::optional<uint8_t> code;  // names like port-unreachable fix the code too
    bool any = false;             // iptables's `any`: every type
};

// As iptables looks a name up: every entry that begins with it, in any case. One is the match;
// a second makes it ambiguous (`echo`: echo-reply or echo-request), and is returned beside it.
struct IcmpLookup {
    const IcmpName* match = nullptr;
    const IcmpName* other = nullptr;
};
IcmpLookup find_icmp_name(std::string_view name, bool v6);
std::vector<std::string_view> icmp_names(bool v6);  // for suggestions

}  // namespace ipt2nft::grammar
