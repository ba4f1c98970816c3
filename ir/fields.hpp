// The fields a rule loads, as the kernel knows them: one descriptor table for every selector key.
#pragma once
#include <cstdint>
#include <string_view>

namespace ipt2nft {

// How a field's values are read and written: the kernel compares bytes, nft names them.
enum class Datatype : uint8_t {
    integer,  // decimal
    mark,     // hexadecimal
    ipv4_address,
    ipv6_address,
    ether_address,
    ifname,        // a string of IFNAMSIZ bytes
    inet_proto,    // protocol numbers, by nft's names
    inet_service,  // ports
    icmp_type,
    icmpv6_type,
    icmp_code,  // written as numbers; a type of its own in nft's set descriptions
    icmpv6_code,
    tcp_flags,     // a bit mask: fin 0x01 ... cwr 0x80
    ct_state,      // a bit mask: invalid 1, established 2, related 4, new 8, untracked 64
    ct_status,     // a bit mask: expected 1, seen-reply 2, assured 4, confirmed 8, snat 16, dnat 32
    ct_direction,  // original 0, reply 1
    pkttype,       // host 0, broadcast 1, multicast 2, other 3
    fib_addrtype,  // the kernel's route types: unspec 0, unicast 1, local 2, ...
    time_ms,       // milliseconds
    priority,      // a tc class handle, major:minor
    boolean,       // presence: 1 exists, 0 missing (a TCP option, a security path)
    dccp_pkttype,  // DCCP packet types, written as numbers: request 0 ... syncack 9
    realm,         // a routing realm (route classid), hexadecimal
    time_date,     // nanoseconds since 1970 UTC, written as seconds (nft reads a number as seconds)
    time_hour,     // seconds since midnight UTC, written as numbers (nft reads a string as local time)
    time_day,      // day of the week, Sunday 0 ... Saturday 6
    os_genre,      // an OS genre of the loaded fingerprints, a name nft pads to 16 bytes
};

// Byte order of a field in the kernel's registers: header fields are in network order, metadata
// in the host's.
enum class ByteOrder : uint8_t { big, host };

// NFT_PAYLOAD_*_HEADER, in the kernel's numbering; and an IPv6 extension header, which nft's
// exthdr expression finds (as ipv6_find_hdr does) rather than a payload base.
enum class HeaderBase : uint8_t { link = 0, network = 1, transport = 2, ipv6_extension = 8 };

enum class PayloadField : uint8_t {
    ether_saddr,
    ether_daddr,
    ip_dscp,
    ip_ecn,
    ip_tos,  // the whole TOS byte: no nft word, written as raw bits (@nh)
    ip_frag_off,
    ip_ttl,
    ip_protocol,
    ip_saddr,
    ip_daddr,
    ip6_dscp,
    ip6_ecn,
    // The header's first 16 bits (version, traffic class, 4 bits of flow label), raw (@nh): a
    // test of the traffic class masks its bits 4-11. nft 1.0.6 lowers raw bits that do not start
    // on a byte (@nh,4,8) with a shift that loses them: seen never matching.
    ip6_version_class,
    ip6_hoplimit,
    ip6_saddr,
    ip6_daddr,
    tcp_sport,
    tcp_dport,
    tcp_flags,
    udp_sport,
    udp_dport,
    udplite_sport,
    udplite_dport,
    sctp_sport,
    sctp_dport,
    // The ports of whichever transport protocol the packet has (ipset's keys carry the protocol).
    th_sport,
    th_dport,
    dccp_sport,
    dccp_dport,
    dccp_type,
    icmp_type,
    icmp_code,
    icmpv6_type,
    icmpv6_code,
    esp_spi,
    ah_hdrlength,
    ah_reserved,
    ah_spi,
    comp_cpi,
    // IPv6 extension headers; `*_exists` is whether the packet has one.
    frag_reserved,
    frag_off,
    frag_reserved2,
    frag_more,
    frag_id,
    frag_exists,
    rt_hdrlength,
    rt_type,
    rt_segleft,
    rt_exists,
    hbh_hdrlength,
    hbh_exists,
    dst_hdrlength,
    dst_exists,
    mh_type,
    mh_exists,
};
constexpr PayloadField last_payload_field = PayloadField::mh_exists;

struct PayloadDescriptor {
    std::string_view protocol;  // nft's word for the header: ip, tcp, icmpv6, ...
    std::string_view field;     // nft's word for the field: saddr, dport, frag-off, ...; empty: none, raw bits
    HeaderBase base;
    uint16_t offset_bits;  // from the start of the header
    uint16_t length_bits;
    Datatype type;
    uint8_t ip_protocol;  // the IP protocol whose header this is (transport fields, extension headers), else 0
};

enum class MetaKey : uint8_t {
    length,
    l4proto,
    nfproto,
    mark,
    priority,
    iifname,
    oifname,
    skuid,
    skgid,
    nftrace,
    pkttype,
    random,
    iifgroup,
    oifgroup,
    cpu,
    cgroup,
    rtclassid,
    secpath,
    time,
    day,
    hour,
};
constexpr MetaKey last_meta_key = MetaKey::hour;

struct MetaDescriptor {
    std::string_view word;  // nft's: `meta <word>`
    bool bare;              // nft writes it without `meta ` (iifname, mark, ...)
    uint8_t kernel_key;     // NFT_META_*
    uint16_t length_bits;
    Datatype type;
    ByteOrder order;
};

enum class CtKey : uint8_t {
    state,
    direction,
    status,
    mark,
    expiration,
    l3proto,
    protocol,
    proto_src,
    proto_dst,
    zone,
    src_ip,
    dst_ip,
    src_ip6,
    dst_ip6,
    bytes,
    packets,
    avgpkt,
};
constexpr CtKey last_ct_key = CtKey::avgpkt;

// Keys of a connection's tuple are per direction; the others are of the connection.
enum class CtDirection : uint8_t { none, original, reply };

struct CtDescriptor {
    std::string_view word;  // nft's: `ct [original|reply] <word>`
    uint8_t kernel_key;     // NFT_CT_*
    uint16_t length_bits;
    Datatype type;
    ByteOrder order;
};

enum class FibAddress : uint8_t { saddr, daddr };
enum class FibInterface : uint8_t { none, iif, oif };
// What a routing lookup answers: the route's type (addrtype) or its output interface's index,
// 0 when no route leaves by the interface asked (rpfilter).
enum class FibResult : uint8_t { type, oif };

const PayloadDescriptor& describe(PayloadField f);
const MetaDescriptor& describe(MetaKey k);
const CtDescriptor& describe(CtKey k);
// nft's word for a kernel key (NFT_META_*, NFT_CT_*) the table knows, else empty.
std::string_view meta_word(uint8_t kernel_key);
std::string_view ct_word(uint8_t kernel_key);

// The port fields of a protocol with ports (tcp, udp, udplite, sctp, dccp): {sport, dport}.
struct PortFields {
    PayloadField source, destination;
};
const PortFields* port_fields(uint8_t ip_protocol);

// The ICMP fields of a family: {type, code}.
struct IcmpFields {
    PayloadField type, code;
};
IcmpFields icmp_fields(bool ipv6);

}  // namespace ipt2nft
