// The protocols nft names; the grammar reads names with their iptables aliases on its own.
// "mh" (135) is also an nft keyword, so nft cannot read it as a protocol: it is written as a number.
#include "ir/protocols.hpp"

namespace ipt2nft {

namespace {
constexpr Protocol protocols[] = {
    {1, "icmp", "icmp"}, {6, "tcp", "tcp"},     {17, "udp", "udp"}, {33, "dccp", "dccp"},
    {47, "gre", ""},     {50, "esp", "esp"},    {51, "ah", "ah"},   {58, "ipv6-icmp", "icmp6"},
    {108, "comp", ""},   {132, "sctp", "sctp"}, {135, "", "mh"},    {136, "udplite", "udplite"},
};
}  // namespace

const Protocol* find_protocol(uint8_t number) {
    for (const auto& p : protocols)
        if (p.number == number) return &p;
    return nullptr;
}

bool has_ports(uint8_t number) {
    return number == 6 || number == 17 || number == 33 || number == 132 || number == 136;
}

}  // namespace ipt2nft
