// Each kind of traffic as the expressions iptables' own matches lower to, run as a rule is.
#include "analysis/traffic.hpp"

#include <linux/netfilter/nf_tables.h>
#include <netinet/in.h>

#include "analysis/rule_sets.hpp"

namespace ipt2nft::analysis {

namespace {

constexpr vm::Register reg = 1;

}  // namespace

// The conntrack state as `ct state` loads it: one bit, in the host's order.
std::vector<vm::Expression> ct_state(uint32_t bit) {
    return {vm::CtLoad{NFT_CT_STATE, std::nullopt, reg},
            vm::Cmp{NFT_CMP_EQ, reg, {static_cast<uint8_t>(bit), static_cast<uint8_t>(bit >> 8), 0, 0}}};
}
std::vector<vm::Expression> protocol(uint8_t p) {
    return {vm::MetaLoad{NFT_META_L4PROTO, reg}, vm::Cmp{NFT_CMP_EQ, reg, {p}}};
}
std::vector<vm::Expression> destination_port(uint16_t port) {
    return {vm::PayloadLoad{HeaderBase::transport, 2, 2, reg},
            vm::Cmp{NFT_CMP_EQ, reg, {static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)}}};
}
std::vector<vm::Expression> icmpv6_type(uint8_t type) {
    auto e = protocol(IPPROTO_ICMPV6);
    e.push_back(vm::PayloadLoad{HeaderBase::transport, 0, 1, reg});
    e.push_back(vm::Cmp{NFT_CMP_EQ, reg, {type}});
    return e;
}
// The interface name, as `-i lo` tests it: the name and its terminating zero.
std::vector<vm::Expression> interface(bool input, std::string_view name) {
    vm::Bytes bytes(name.begin(), name.end());
    bytes.push_back(0);
    return {vm::MetaLoad{static_cast<uint8_t>(input ? NFT_META_IIFNAME : NFT_META_OIFNAME), reg},
            vm::Cmp{NFT_CMP_EQ, reg, bytes}};
}

bdd traffic(const std::vector<std::vector<vm::Expression>>& tests, Family family, PacketSpace& space) {
    vm::Program program;
    for (const auto& part : tests) program.expressions.insert(program.expressions.end(), part.begin(), part.end());
    return rule_sets(program, family, space).may;
}

}  // namespace ipt2nft::analysis
