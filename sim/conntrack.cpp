// nf_conntrack's decisions for a packet: which connection, which state, and who may start one.
#include "sim/conntrack.hpp"

#include <absl/strings/string_view.h>
#include <netinet/in.h>

#include <array>
#include <cstring>

namespace ipt2nft::sim {

namespace {

// A tuple's bytes, as the index keys it: made on the stack, looked up without a string.
class TupleKey {
public:
    explicit TupleKey(const Tuple& t) {
        put(static_cast<uint8_t>(t.family));
        put(t.protocol);
        append(t.source.bytes.data(), t.source.size());
        append(t.destination.bytes.data(), t.destination.size());
        for (uint16_t port : {t.source_port, t.destination_port}) put(port >> 8), put(port & 0xff);
        put(t.icmp_type);
    }
    // abseil's own string view: the index looks it up as it is (Debian's abseil has its own).
    absl::string_view view() const { return {bytes_.data(), length_}; }

private:
    void put(unsigned byte) { bytes_[length_++] = static_cast<char>(byte); }
    void append(const uint8_t* p, size_t n) {
        std::memcpy(bytes_.data() + length_, p, n);
        length_ += n;
    }
    std::array<char, 40> bytes_;  // family, protocol, two IPv6 addresses, two ports, ICMP type: 39
    size_t length_ = 0;
};

// The type of the answer to an ICMP query (echo, timestamp, information, address mask; ICMPv6
// echo and node information), as conntrack inverts a tuple; 0 for other types.
uint8_t inverse_icmp_type(uint8_t protocol, uint8_t type) {
    if (protocol == IPPROTO_ICMP) {
        switch (type) {
            case 8: return 0;
            case 0: return 8;
            case 13: return 14;
            case 14: return 13;
            case 15: return 16;
            case 16: return 15;
            case 17: return 18;
            case 18: return 17;
        }
    } else if (protocol == IPPROTO_ICMPV6) {
        switch (type) {
            case 128: return 129;
            case 129: return 128;
            case 139: return 140;
            case 140: return 139;
        }
    }
    return 0;
}

// TCP flags conntrack accepts at all (tcp_error's table; ECE and CWR aside).
bool valid_tcp_flags(uint8_t flags) {
    constexpr uint8_t fin = 1, syn = 2, rst = 4, psh = 8, ack = 16, urg = 32;
    switch (flags & 0x3f) {
        case syn:
        case syn | urg:
        case syn | ack:
        case rst:
        case rst | ack:
        case rst | ack | psh:
        case fin | ack:
        case fin | ack | urg:
        case ack:
        case ack | urg:
        case ack | psh:
        case ack | psh | urg:
        case fin | ack | psh:
        case fin | ack | psh | urg: return true;
        default: return false;
    }
}

// Whether a packet no connection knows may start one, as each protocol's tracker decides.
bool may_start(const Packet& p, std::string& why) {
    uint8_t type = p.icmp_type();
    switch (p.protocol()) {
        case IPPROTO_TCP: {
            uint8_t f = p.tcp_flags();
            // A SYN starts a connection; an ACK is picked up mid-stream (nf_conntrack_tcp_loose,
            // on by default); SYN+ACK, FIN and RST without a connection are invalid.
            bool syn = f & 2, ack = f & 16, fin = f & 1, rst = f & 4;
            if (rst || fin || (syn && ack) || (!syn && !ack)) {
                why = "a TCP packet of no known connection that is not a SYN or an ACK";
                return false;
            }
            return true;
        }
        case IPPROTO_ICMP:
            if (type == 8 || type == 13 || type == 15 || type == 17) return true;
            why = "an ICMP message of no known connection that is not a request";
            return false;
        case IPPROTO_ICMPV6:
            if (type == 128 || type == 139) return true;
            why = "an ICMPv6 message of no known connection that is not a request";
            return false;
        default: return true;
    }
}

// IPv6 neighbour discovery and MLD: conntrack leaves them untracked.
bool untracked_icmpv6(const Packet& p) {
    uint8_t t = p.icmp_type();
    return p.protocol() == IPPROTO_ICMPV6 && ((t >= 130 && t <= 136) || t == 143);
}

}  // namespace

Tuple Tuple::inverted() const {
    return {
        family, protocol, destination, source, destination_port, source_port, inverse_icmp_type(protocol, icmp_type)};
}

Tuple tuple_of(const Packet& p) {
    bool icmp = p.protocol() == IPPROTO_ICMP || p.protocol() == IPPROTO_ICMPV6;
    return {p.family(),
            p.protocol(),
            p.source(),
            p.destination(),
            p.source_port(),
            p.destination_port(),
            icmp ? p.icmp_type() : uint8_t{0}};
}

std::string_view PacketTrack::state_name() const {
    static constexpr std::string_view tracked_names[] = {"established", "related", "new"};
    switch (kind) {
        case Kind::invalid: return "invalid";
        case Kind::untracked: return "untracked";
        case Kind::tracked: return tracked_names[info % 3];
    }
    return "invalid";
}

uint32_t PacketTrack::state_bit() const {
    switch (kind) {
        case Kind::invalid: return 1;
        case Kind::untracked: return 64;
        case Kind::tracked: return 1u << (info % 3 + 1);
    }
    return 1;
}

std::optional<std::pair<size_t, uint8_t>> ConntrackTable::find(const Tuple& t) const {
    auto it = index_.find(TupleKey(t).view());
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

void ConntrackTable::index(size_t c) {
    for (uint8_t d = 0; d < 2; ++d) index_[TupleKey(connections_[c].tuple[d]).view()] = {c, d};
}

PacketTrack ConntrackTable::track(const Packet& p, std::string& why) {
    PacketTrack t;
    if (untracked_icmpv6(p)) {
        t.kind = PacketTrack::Kind::untracked;
        why = "IPv6 neighbour discovery and MLD are not tracked";
        return t;
    }
    if (p.protocol() == IPPROTO_TCP && !valid_tcp_flags(p.tcp_flags())) {
        why = "TCP flags no connection can have";
        return t;
    }
    if (p.icmp_error()) {
        // An error about a known connection is related to it; the quoted packet went the other
        // way, so its tuple inverted is this packet's direction.
        if (p.quoted) {
            const QuotedPacket& q = *p.quoted;
            Tuple quoted{p.family(), q.protocol, q.source, q.destination, q.source_port, q.destination_port, 0};
            if (auto found = find(quoted.inverted())) {
                t.kind = PacketTrack::Kind::tracked;
                t.connection = found->first;
                t.info = static_cast<uint8_t>(1 + 3 * found->second);
                return t;
            }
        }
        why = "an ICMP error about no known connection";
        return t;
    }
    if (auto found = find(tuple_of(p))) {
        // tcp_conntracks: a SYN+ACK the way the connection began answers no SYN of the other
        // side's (the simultaneous open aside), so it is invalid: the packet has no connection,
        // and the connection stays as it was.
        if (p.protocol() == IPPROTO_TCP && found->second == 0 && (p.tcp_flags() & 0x12) == 0x12) {
            why = "a TCP SYN+ACK in the direction its connection began";
            return t;
        }
        Connection& c = connections_[found->first];
        t.kind = PacketTrack::Kind::tracked;
        t.connection = found->first;
        // A reset before any reply ends the connection at once (the TCP tracker kills it): the
        // packet keeps it, the table does not.
        if (p.protocol() == IPPROTO_TCP && (p.tcp_flags() & 4) && !(c.status & seen_reply)) {
            for (const auto& tuple : c.tuple) index_.erase(TupleKey(tuple).view());
            why = "a reset before any reply: the connection is removed";
        }
        if (found->second == 1) {
            t.info = 3;
            c.status |= seen_reply;
        } else {
            t.info = c.status & seen_reply ? 0 : 2;
        }
        return t;
    }
    if (!may_start(p, why)) return t;
    // A connection left unconfirmed is a dropped packet's, which no packet will see again.
    if (!connections_.empty() && !(connections_.back().status & confirmed)) connections_.pop_back();
    Tuple original = tuple_of(p);
    connections_.push_back(Connection{{original, original.inverted()}});
    t.kind = PacketTrack::Kind::tracked;
    t.connection = connections_.size() - 1;
    t.info = 2;
    return t;
}

void ConntrackTable::confirm(const PacketTrack& t) {
    if (t.kind != PacketTrack::Kind::tracked) return;
    Connection& c = connections_[t.connection];
    if (c.status & confirmed) return;
    c.status |= confirmed;
    index(t.connection);
}

bool ConntrackTable::bind(size_t connection, bool source, const Address& address, std::optional<uint16_t> port) {
    Connection& c = connections_[connection];
    // The original direction as it will leave: the reply tuple inverted, with the manip applied.
    Tuple now = c.tuple[1].inverted();
    if (source) {
        now.source = address;
        if (port) now.source_port = *port;
    } else {
        now.destination = address;
        if (port) now.destination_port = *port;
    }
    bool changed = now != c.tuple[1].inverted();
    c.tuple[1] = now.inverted();
    c.status |=
        (source ? source_nat_done : destination_nat_done) | (changed ? (source ? source_nat : destination_nat) : 0u);
    return unique(connection);
}

bool ConntrackTable::bind_none(size_t connection, bool source) {
    uint32_t& status = connections_[connection].status;
    // After the other manip's binding the reply tuple was found unique, and a null binding
    // changes nothing: no other connection has entered the table since (only confirmation does).
    bool checked = status & (source ? destination_nat_done : source_nat_done);
    status |= source ? source_nat_done : destination_nat_done;
    return checked || unique(connection);
}

bool ConntrackTable::in_table(size_t connection) const {
    auto found = find(connections_[connection].tuple[0]);
    return found && found->first == connection;
}

bool ConntrackTable::unique(size_t connection) const {
    auto taken = find(connections_[connection].tuple[1]);
    return !taken || taken->first == connection;
}

}  // namespace ipt2nft::sim
