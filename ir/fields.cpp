// The descriptor table: where each field lies, how long it is and how nft names it.
// Offsets and lengths are the kernel's (linux/ip.h, ipv6.h, tcp.h; nf_tables.h for the keys).
#include "ir/fields.hpp"

#include <linux/netfilter/nf_tables.h>

#include <iterator>

namespace ipt2nft {

namespace {

using enum HeaderBase;
using enum Datatype;

constexpr PayloadDescriptor payloads[] = {
    {"ether", "saddr", link, 48, 48, ether_address, 0},
    {"ether", "daddr", link, 0, 48, ether_address, 0},
    {"ip", "dscp", network, 8, 6, integer, 0},
    {"ip", "ecn", network, 14, 2, integer, 0},
    {"ip", "", network, 8, 8, integer, 0},
    {"ip", "frag-off", network, 48, 16, integer, 0},
    {"ip", "ttl", network, 64, 8, integer, 0},
    {"ip", "protocol", network, 72, 8, inet_proto, 0},
    {"ip", "saddr", network, 96, 32, ipv4_address, 0},
    {"ip", "daddr", network, 128, 32, ipv4_address, 0},
    {"ip6", "dscp", network, 4, 6, integer, 0},
    {"ip6", "ecn", network, 10, 2, integer, 0},
    {"ip6", "", network, 0, 16, integer, 0},
    {"ip6", "hoplimit", network, 56, 8, integer, 0},
    {"ip6", "saddr", network, 64, 128, ipv6_address, 0},
    {"ip6", "daddr", network, 192, 128, ipv6_address, 0},
    {"tcp", "sport", transport, 0, 16, inet_service, 6},
    {"tcp", "dport", transport, 16, 16, inet_service, 6},
    {"tcp", "flags", transport, 104, 8, tcp_flags, 6},
    {"udp", "sport", transport, 0, 16, inet_service, 17},
    {"udp", "dport", transport, 16, 16, inet_service, 17},
    {"udplite", "sport", transport, 0, 16, inet_service, 136},
    {"udplite", "dport", transport, 16, 16, inet_service, 136},
    {"sctp", "sport", transport, 0, 16, inet_service, 132},
    {"sctp", "dport", transport, 16, 16, inet_service, 132},
    {"th", "sport", transport, 0, 16, inet_service, 0},
    {"th", "dport", transport, 16, 16, inet_service, 0},
    {"dccp", "sport", transport, 0, 16, inet_service, 33},
    {"dccp", "dport", transport, 16, 16, inet_service, 33},
    {"dccp", "type", transport, 67, 4, dccp_pkttype, 33},
    {"icmp", "type", transport, 0, 8, icmp_type, 1},
    {"icmp", "code", transport, 8, 8, icmp_code, 1},
    {"icmpv6", "type", transport, 0, 8, icmpv6_type, 58},
    {"icmpv6", "code", transport, 8, 8, icmpv6_code, 58},
    {"esp", "spi", transport, 0, 32, integer, 50},
    {"ah", "hdrlength", transport, 8, 8, integer, 51},
    {"ah", "reserved", transport, 16, 16, integer, 51},
    {"ah", "spi", transport, 32, 32, integer, 51},
    {"comp", "cpi", transport, 16, 16, integer, 108},
    {"frag", "reserved", ipv6_extension, 8, 8, integer, 44},
    {"frag", "frag-off", ipv6_extension, 16, 13, integer, 44},
    {"frag", "reserved2", ipv6_extension, 29, 2, integer, 44},
    {"frag", "more-fragments", ipv6_extension, 31, 1, integer, 44},
    {"frag", "id", ipv6_extension, 32, 32, integer, 44},
    {"exthdr", "frag", ipv6_extension, 0, 8, boolean, 44},
    {"rt", "hdrlength", ipv6_extension, 8, 8, integer, 43},
    {"rt", "type", ipv6_extension, 16, 8, integer, 43},
    {"rt", "seg-left", ipv6_extension, 24, 8, integer, 43},
    {"exthdr", "rt", ipv6_extension, 0, 8, boolean, 43},
    {"hbh", "hdrlength", ipv6_extension, 8, 8, integer, 0},
    {"exthdr", "hbh", ipv6_extension, 0, 8, boolean, 0},
    {"dst", "hdrlength", ipv6_extension, 8, 8, integer, 60},
    {"exthdr", "dst", ipv6_extension, 0, 8, boolean, 60},
    {"mh", "type", ipv6_extension, 16, 8, integer, 135},
    {"exthdr", "mh", ipv6_extension, 0, 8, boolean, 135},
};
static_assert(std::size(payloads) == static_cast<size_t>(last_payload_field) + 1);

using enum ByteOrder;

constexpr MetaDescriptor metas[] = {
    {"length", false, NFT_META_LEN, 32, integer, host},
    {"l4proto", false, NFT_META_L4PROTO, 8, inet_proto, host},
    {"nfproto", false, NFT_META_NFPROTO, 8, integer, host},
    {"mark", true, NFT_META_MARK, 32, mark, host},
    {"priority", false, NFT_META_PRIORITY, 32, Datatype::priority, host},
    {"iifname", true, NFT_META_IIFNAME, 128, ifname, host},
    {"oifname", true, NFT_META_OIFNAME, 128, ifname, host},
    {"skuid", true, NFT_META_SKUID, 32, integer, host},
    {"skgid", true, NFT_META_SKGID, 32, integer, host},
    {"nftrace", true, NFT_META_NFTRACE, 8, integer, host},
    {"pkttype", true, NFT_META_PKTTYPE, 8, Datatype::pkttype, host},
    {"random", false, NFT_META_PRANDOM, 32, integer, big},
    {"iifgroup", true, NFT_META_IIFGROUP, 32, integer, host},
    {"oifgroup", true, NFT_META_OIFGROUP, 32, integer, host},
    {"cpu", false, NFT_META_CPU, 32, integer, host},
    {"cgroup", false, NFT_META_CGROUP, 32, integer, host},
    {"rtclassid", true, NFT_META_RTCLASSID, 32, realm, host},
    {"secpath", false, NFT_META_SECPATH, 8, boolean, host},
    {"time", false, NFT_META_TIME_NS, 64, time_date, host},
    {"day", false, NFT_META_TIME_DAY, 8, time_day, host},
    {"hour", false, NFT_META_TIME_HOUR, 32, time_hour, host},
};
static_assert(std::size(metas) == static_cast<size_t>(last_meta_key) + 1);

constexpr CtDescriptor cts[] = {
    {"state", NFT_CT_STATE, 32, ct_state, host},
    {"direction", NFT_CT_DIRECTION, 8, ct_direction, host},
    {"status", NFT_CT_STATUS, 32, ct_status, host},
    {"mark", NFT_CT_MARK, 32, mark, host},
    {"expiration", NFT_CT_EXPIRATION, 32, time_ms, host},
    {"l3proto", NFT_CT_L3PROTOCOL, 8, integer, host},
    {"protocol", NFT_CT_PROTOCOL, 8, inet_proto, big},
    {"proto-src", NFT_CT_PROTO_SRC, 16, inet_service, big},
    {"proto-dst", NFT_CT_PROTO_DST, 16, inet_service, big},
    {"zone", NFT_CT_ZONE, 16, integer, host},
    {"ip saddr", NFT_CT_SRC_IP, 32, ipv4_address, big},
    {"ip daddr", NFT_CT_DST_IP, 32, ipv4_address, big},
    {"ip6 saddr", NFT_CT_SRC_IP6, 128, ipv6_address, big},
    {"ip6 daddr", NFT_CT_DST_IP6, 128, ipv6_address, big},
    {"bytes", NFT_CT_BYTES, 64, integer, host},
    {"packets", NFT_CT_PKTS, 64, integer, host},
    {"avgpkt", NFT_CT_AVGPKT, 64, integer, host},
};
static_assert(std::size(cts) == static_cast<size_t>(last_ct_key) + 1);

constexpr std::pair<uint8_t, PortFields> ports[] = {
    {6, {PayloadField::tcp_sport, PayloadField::tcp_dport}},
    {17, {PayloadField::udp_sport, PayloadField::udp_dport}},
    {33, {PayloadField::dccp_sport, PayloadField::dccp_dport}},
    {132, {PayloadField::sctp_sport, PayloadField::sctp_dport}},
    {136, {PayloadField::udplite_sport, PayloadField::udplite_dport}},
};

}  // namespace

const PayloadDescriptor& describe(PayloadField f) {
    return payloads[static_cast<size_t>(f)];
}
const MetaDescriptor& describe(MetaKey k) {
    return metas[static_cast<size_t>(k)];
}
const CtDescriptor& describe(CtKey k) {
    return cts[static_cast<size_t>(k)];
}

std::string_view meta_word(uint8_t kernel_key) {
    for (const auto& m : metas)
        if (m.kernel_key == kernel_key) return m.word;
    return {};
}

std::string_view ct_word(uint8_t kernel_key) {
    for (const auto& c : cts)
        if (c.kernel_key == kernel_key) return c.word;
    return {};
}

const PortFields* port_fields(uint8_t ip_protocol) {
    for (const auto& [number, fields] : ports)
        if (number == ip_protocol) return &fields;
    return nullptr;
}

IcmpFields icmp_fields(bool ipv6) {
    return ipv6 ? IcmpFields{PayloadField::icmpv6_type, PayloadField::icmpv6_code}
                : IcmpFields{PayloadField::icmp_type, PayloadField::icmp_code};
}

}  // namespace ipt2nft
