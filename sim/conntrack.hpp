// Connection tracking across the packets of a run: tuples, states, NAT bindings, as nf_conntrack.
#pragma once
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "sim/packet.hpp"

namespace ipt2nft::sim {

struct Tuple {
    Family family = Family::ipv4;
    uint8_t protocol = 0;
    Address source, destination;
    uint16_t source_port = 0, destination_port = 0;  // the echo identifier in both for ICMP
    uint8_t icmp_type = 0;  // ICMP's tuple holds the type: a request's reply has the reply's type
    bool operator==(const Tuple&) const = default;
    Tuple inverted() const;
};

Tuple tuple_of(const Packet& p);

// The kernel's IPS_* status bits the simulation sets.
enum Status : uint32_t {
    seen_reply = 1u << 1,
    confirmed = 1u << 3,
    source_nat = 1u << 4,
    destination_nat = 1u << 5,
    source_nat_done = 1u << 7,
    destination_nat_done = 1u << 8,
};

struct Connection {
    Tuple tuple[2];  // IP_CT_DIR_ORIGINAL, IP_CT_DIR_REPLY
    uint32_t status = 0;
    uint32_t mark = 0;
    uint16_t zone = 0;
};

// What a packet carries of conntrack (the kernel's skb->_nfct and ctinfo).
struct PacketTrack {
    enum class Kind { invalid, untracked, tracked } kind = Kind::invalid;
    size_t connection = 0;
    uint8_t info = 0;  // IP_CT_ESTABLISHED 0, RELATED 1, NEW 2; +3 in the reply direction
    uint8_t direction() const { return info >= 3 ? 1 : 0; }
    // nft's `ct state` bit: invalid 1, established 2, related 4, new 8, untracked 64.
    uint32_t state_bit() const;
    // nft's word for that state: established, related, new, invalid, untracked.
    std::string_view state_name() const;
};

class ConntrackTable {
public:
    // nf_conntrack_in: the packet's connection and state, a new unconfirmed connection for a
    // packet that may start one, or invalid / untracked with why; `why` also says when the packet
    // ends its connection.
    PacketTrack track(const Packet& p, std::string& why);
    // At the end of postrouting or input: a new connection enters the table.
    void confirm(const PacketTrack& t);
    Connection& connection(size_t i) { return connections_[i]; }
    const Connection& connection(size_t i) const { return connections_[i]; }
    // The NAT binding of `manip` (source or destination) made on the original direction's tuple.
    // False when another connection's tuple is the one the binding makes: the kernel then picks
    // another port (by a hash), which the simulation does not know.
    bool bind(size_t connection, bool source, const Address& address, std::optional<uint16_t> port);
    bool bind_none(size_t connection, bool source);
    bool in_table(size_t connection) const;

private:
    std::deque<Connection> connections_;
    absl::flat_hash_map<std::string, std::pair<size_t, uint8_t>> index_;  // a tuple's bytes → connection, direction
    void index(size_t connection);
    bool unique(size_t connection) const;  // no other connection has its reply tuple
    std::optional<std::pair<size_t, uint8_t>> find(const Tuple& t) const;
};

}  // namespace ipt2nft::sim
