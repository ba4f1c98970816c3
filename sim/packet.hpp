// A simulated packet: its bytes from the network header on, as the kernel's payload loads read
// them, and the metadata the kernel keeps beside them.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/values.hpp"

namespace ipt2nft::sim {

// An ICMP error's quoted packet, as its sender sent it.
struct QuotedPacket {
    uint8_t protocol = 0;
    Address source, destination;
    uint16_t source_port = 0, destination_port = 0;
};

// What a packet description gives (sim/packet_description): the headers' fields before they
// are written as bytes.
struct PacketSpec {
    Family family = Family::ipv4;
    std::string in_interface;  // empty: the host sends the packet
    uint8_t protocol = 0;      // IPPROTO_*
    Address source, destination;
    uint16_t source_port = 0, destination_port = 0;
    uint8_t tcp_flags = 0;  // fin 0x01 ... cwr 0x80
    uint8_t icmp_type = 0, icmp_code = 0;
    uint16_t icmp_id = 0;
    uint32_t mark = 0;
    uint8_t ttl = 64;
    uint32_t payload_length = 0;  // bytes after the transport header
    std::optional<std::array<uint8_t, 6>> source_mac;
    uint32_t uid = 0, gid = 0;           // of the sending socket, for packets the host sends
    double time = 0;                     // seconds since the run began: what rate limits see
    std::optional<QuotedPacket> quoted;  // for an ICMP error
};

class Packet {
public:
    explicit Packet(const PacketSpec& spec);

    Family family() const { return family_; }
    // The bytes of the IP header and what follows it; the transport header starts at
    // transport_offset() (none for a fragment that is not the first).
    std::vector<uint8_t>& bytes() { return bytes_; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    uint32_t transport_offset() const { return transport_offset_; }
    uint8_t protocol() const { return protocol_; }

    Address source() const;
    Address destination() const;
    void set_source(const Address& a);
    void set_destination(const Address& a);
    // Ports of a protocol with ports, or the ICMP echo identifier (as the source and the
    // destination both, as conntrack keys it); 0 for others.
    bool has_ports() const;
    uint16_t source_port() const;
    uint16_t destination_port() const;
    void set_source_port(uint16_t port);
    void set_destination_port(uint16_t port);
    uint8_t icmp_type() const;
    uint8_t icmp_code() const;
    uint16_t icmp_id() const;
    uint8_t tcp_flags() const;
    uint8_t ttl() const;  // the hop limit of IPv6
    void set_ttl(uint8_t ttl);
    bool icmp_error() const;  // destination unreachable, time exceeded, ...

    std::string in_interface, out_interface;
    uint32_t mark = 0;
    uint32_t priority = 0;
    bool trace = false;       // meta nftrace
    uint8_t packet_type = 0;  // PACKET_HOST
    std::optional<std::array<uint8_t, 6>> source_mac;
    std::optional<uint32_t> uid, gid;  // the socket's, for packets the host sends
    double time = 0;
    std::optional<QuotedPacket> quoted;

private:
    Family family_;
    std::vector<uint8_t> bytes_;
    uint32_t transport_offset_;
    uint8_t protocol_;
    uint32_t address_offset(bool destination) const;
};

// The fixed part of a protocol's transport header as simulated packets carry it (no options).
size_t transport_header_length(uint8_t protocol);

// `tcp 198.51.100.7:40000 > 192.0.2.1:22`, as packet descriptions write a flow (ports for
// protocols that have them).
std::string flow_text(uint8_t protocol, const Address& source, uint16_t source_port, const Address& destination,
                      uint16_t destination_port);
std::string flow_text(const Packet& p);

}  // namespace ipt2nft::sim
