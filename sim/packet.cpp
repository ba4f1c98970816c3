// A packet's headers written as the bytes a kernel would see, and read back for conntrack and NAT.
#include "sim/packet.hpp"

#include <fmt/format.h>
#include <netinet/in.h>

#include <algorithm>

#include "ir/protocols.hpp"

namespace ipt2nft::sim {

namespace {

void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
    b[at] = static_cast<uint8_t>(v >> 8);
    b[at + 1] = static_cast<uint8_t>(v);
}
uint16_t get16(const std::vector<uint8_t>& b, size_t at) {
    return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

}  // namespace

size_t transport_header_length(uint8_t protocol) {
    switch (protocol) {
        case IPPROTO_TCP: return 20;
        case IPPROTO_UDP:
        case IPPROTO_UDPLITE:
        case IPPROTO_ICMP:
        case IPPROTO_ICMPV6: return 8;
        case IPPROTO_SCTP: return 12;
        case IPPROTO_DCCP: return 16;
        default: return 0;
    }
}

namespace {

void write_addresses(std::vector<uint8_t>& b, size_t at, const Address& source, const Address& destination) {
    std::copy_n(source.bytes.begin(), source.size(), b.begin() + static_cast<long>(at));
    std::copy_n(destination.bytes.begin(), destination.size(), b.begin() + static_cast<long>(at + source.size()));
}

// An IP header of `family` for `protocol` carrying `rest` bytes, at the end of `b`.
void append_ip_header(std::vector<uint8_t>& b, Family family, uint8_t protocol, uint8_t ttl, const Address& source,
                      const Address& destination, size_t rest) {
    size_t at = b.size();
    if (family == Family::ipv4) {
        b.resize(at + 20);
        b[at] = 0x45;
        put16(b, at + 2, static_cast<uint16_t>(20 + rest));
        b[at + 8] = ttl;
        b[at + 9] = protocol;
        write_addresses(b, at + 12, source, destination);
        uint32_t sum = 0;
        for (size_t i = 0; i < 20; i += 2) sum += get16(b, at + i);
        while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
        put16(b, at + 10, static_cast<uint16_t>(~sum));
    } else {
        b.resize(at + 40);
        b[at] = 0x60;
        put16(b, at + 4, static_cast<uint16_t>(rest));
        b[at + 6] = protocol;
        b[at + 7] = ttl;
        write_addresses(b, at + 8, source, destination);
    }
}

// The transport header of `protocol` with its ports, at `at`; its data offset where the header
// is whole (an ICMP error quotes only its first eight bytes).
void write_ports(std::vector<uint8_t>& b, size_t at, uint8_t protocol, uint16_t source, uint16_t destination) {
    if (!has_ports(protocol)) return;
    put16(b, at, source);
    put16(b, at + 2, destination);
    if (protocol == IPPROTO_TCP && at + 12 < b.size()) b[at + 12] = 0x50;  // five words
    if (protocol == IPPROTO_DCCP) b[at + 4] = 4;                           // four words
}

}  // namespace

Packet::Packet(const PacketSpec& spec)
    : in_interface(spec.in_interface),
      mark(spec.mark),
      source_mac(spec.source_mac),
      time(spec.time),
      quoted(spec.quoted),
      family_(spec.family),
      protocol_(spec.protocol) {
    if (spec.in_interface.empty()) uid = spec.uid, gid = spec.gid;
    size_t header = transport_header_length(spec.protocol);
    std::vector<uint8_t> quote;
    if (spec.quoted) {
        // The quoted packet: its IP header and the first eight bytes of its transport header.
        const QuotedPacket& q = *spec.quoted;
        append_ip_header(quote, spec.family, q.protocol, 64, q.source, q.destination, 8);
        size_t at = quote.size();
        quote.resize(at + 8);
        write_ports(quote, at, q.protocol, q.source_port, q.destination_port);
    }
    size_t rest = header + quote.size() + spec.payload_length;
    append_ip_header(bytes_, spec.family, spec.protocol, spec.ttl, spec.source, spec.destination, rest);
    transport_offset_ = static_cast<uint32_t>(bytes_.size());
    bytes_.resize(bytes_.size() + rest);
    size_t t = transport_offset_;
    write_ports(bytes_, t, spec.protocol, spec.source_port, spec.destination_port);
    if (spec.protocol == IPPROTO_TCP) {
        bytes_[t + 13] = spec.tcp_flags;
        put16(bytes_, t + 14, 64240);  // window
    } else if (spec.protocol == IPPROTO_UDP || spec.protocol == IPPROTO_UDPLITE) {
        put16(bytes_, t + 4, static_cast<uint16_t>(8 + spec.payload_length));
    } else if (spec.protocol == IPPROTO_ICMP || spec.protocol == IPPROTO_ICMPV6) {
        bytes_[t] = spec.icmp_type;
        bytes_[t + 1] = spec.icmp_code;
        if (!spec.quoted) put16(bytes_, t + 4, spec.icmp_id);
        std::copy(quote.begin(), quote.end(), bytes_.begin() + static_cast<long>(t + header));
    }
}

uint32_t Packet::address_offset(bool destination) const {
    uint32_t base = family_ == Family::ipv4 ? 12 : 8;
    return base + (destination ? (family_ == Family::ipv4 ? 4 : 16) : 0);
}

Address Packet::source() const {
    Address a{family_, {}};
    std::copy_n(bytes_.begin() + address_offset(false), a.size(), a.bytes.begin());
    return a;
}

Address Packet::destination() const {
    Address a{family_, {}};
    std::copy_n(bytes_.begin() + address_offset(true), a.size(), a.bytes.begin());
    return a;
}

void Packet::set_source(const Address& a) {
    std::copy_n(a.bytes.begin(), a.size(), bytes_.begin() + address_offset(false));
}

void Packet::set_destination(const Address& a) {
    std::copy_n(a.bytes.begin(), a.size(), bytes_.begin() + address_offset(true));
}

bool Packet::has_ports() const {
    return ipt2nft::has_ports(protocol_);
}

uint16_t Packet::source_port() const {
    return has_ports() ? get16(bytes_, transport_offset_) : icmp_id();
}

uint16_t Packet::destination_port() const {
    return has_ports() ? get16(bytes_, transport_offset_ + 2) : icmp_id();
}

void Packet::set_source_port(uint16_t port) {
    if (has_ports()) put16(bytes_, transport_offset_, port);
}

void Packet::set_destination_port(uint16_t port) {
    if (has_ports()) put16(bytes_, transport_offset_ + 2, port);
}

bool Packet::icmp_error() const {
    uint8_t t = icmp_type();
    if (protocol_ == IPPROTO_ICMP) return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    if (protocol_ == IPPROTO_ICMPV6) return t >= 1 && t <= 4;
    return false;
}

uint8_t Packet::icmp_type() const {
    bool icmp = protocol_ == IPPROTO_ICMP || protocol_ == IPPROTO_ICMPV6;
    return icmp ? bytes_[transport_offset_] : 0;
}

uint8_t Packet::icmp_code() const {
    bool icmp = protocol_ == IPPROTO_ICMP || protocol_ == IPPROTO_ICMPV6;
    return icmp ? bytes_[transport_offset_ + 1] : 0;
}

uint16_t Packet::icmp_id() const {
    bool icmp = protocol_ == IPPROTO_ICMP || protocol_ == IPPROTO_ICMPV6;
    return icmp && !icmp_error() ? get16(bytes_, transport_offset_ + 4) : 0;
}

uint8_t Packet::ttl() const {
    return bytes_[family_ == Family::ipv4 ? 8 : 7];
}

void Packet::set_ttl(uint8_t ttl) {
    if (family_ == Family::ipv6) {
        bytes_[7] = ttl;
        return;
    }
    // IPv4's header checksum follows the change (RFC 1624), as the kernel's ip_decrease_ttl does.
    uint16_t before = get16(bytes_, 8);
    bytes_[8] = ttl;
    uint32_t sum = static_cast<uint16_t>(~get16(bytes_, 10)) + static_cast<uint16_t>(~before) + get16(bytes_, 8);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    put16(bytes_, 10, static_cast<uint16_t>(~sum));
}

uint8_t Packet::tcp_flags() const {
    return protocol_ == IPPROTO_TCP ? bytes_[transport_offset_ + 13] : 0;
}

std::string flow_text(uint8_t protocol, const Address& source, uint16_t source_port, const Address& destination,
                      uint16_t destination_port) {
    std::string name;
    switch (protocol) {
        case IPPROTO_TCP: name = "tcp"; break;
        case IPPROTO_UDP: name = "udp"; break;
        case IPPROTO_UDPLITE: name = "udplite"; break;
        case IPPROTO_SCTP: name = "sctp"; break;
        case IPPROTO_DCCP: name = "dccp"; break;
        case IPPROTO_ICMP: name = "icmp"; break;
        case IPPROTO_ICMPV6: name = "icmpv6"; break;
        default: name = fmt::format("proto {}", protocol);
    }
    auto endpoint = [&](const Address& a, uint16_t port) {
        if (!has_ports(protocol)) return to_string(a);
        return a.family == Family::ipv6 ? fmt::format("[{}]:{}", to_string(a), port)
                                        : fmt::format("{}:{}", to_string(a), port);
    };
    return fmt::format("{} {} > {}", name, endpoint(source, source_port), endpoint(destination, destination_port));
}

std::string flow_text(const Packet& p) {
    return flow_text(p.protocol(), p.source(), p.source_port(), p.destination(), p.destination_port());
}

}  // namespace ipt2nft::sim
