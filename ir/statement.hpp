// Statement: what a rule does once its conditions hold.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ir/condition.hpp"
#include "ir/span.hpp"
#include "ir/values.hpp"

namespace ipt2nft {

enum class VerdictKind { accept, drop, return_, jump, go_to };

struct Verdict {
    VerdictKind kind;
    std::string_view chain;  // jump / goto target: views the input, like every name in a rule
    bool operator==(const Verdict&) const = default;
};

// Text fields of statements are views: of literals (nft's words) or of the input (prefixes,
// names), never copies; rules are kept by the hundred thousand.

// NFT_REJECT_*: an ICMP error of the table's family (ICMPv6 in ip6), or a TCP reset.
enum class RejectType : uint8_t { icmp_unreach = 0, tcp_reset = 1 };

struct Reject {
    RejectType type = RejectType::icmp_unreach;
    uint8_t code = 3;  // the ICMP (or ICMPv6) code: port unreachable is 3 (4 in ICMPv6)
    Family family = Family::ipv4;
    bool operator==(const Reject&) const = default;
};

// NF_LOG_* bits of a log statement's flags.
enum LogFlag : uint8_t {
    log_tcp_sequence = 0x01,
    log_tcp_options = 0x02,
    log_ip_options = 0x04,
    log_uid = 0x08,
    log_mac_decode = 0x20
};

// NFT_LOGLEVEL_AUDIT: an audit record instead of a kernel log line.
constexpr uint8_t log_level_audit = 8;

struct Log {
    std::optional<std::string_view> prefix;
    std::optional<uint8_t> level;  // syslog's, 0 (emerg) to 7 (debug), or log_level_audit; unset: 4 (warning)
    uint8_t flags = 0;             // LogFlag bits
    bool operator==(const Log&) const = default;
};

struct NfLog {
    uint16_t group = 0;
    std::optional<std::string_view> prefix;
    std::optional<uint32_t> snaplen;
    std::optional<uint16_t> threshold;
    bool operator==(const NfLog&) const = default;
};

struct Queue {
    uint16_t first = 0;
    uint16_t last = 0;
    bool bypass = false;
    bool fanout = false;
    bool operator==(const Queue&) const = default;
};

enum class NatKind { snat, dnat, masquerade, redirect };

struct Nat {
    NatKind kind;
    std::optional<Address> address_low;
    std::optional<Address> address_high;
    std::optional<uint16_t> port_low;
    std::optional<uint16_t> port_high;
    uint32_t flags = 0;  // NF_NAT_RANGE_* bits: random, fully-random, persistent, netmap
    bool operator==(const Nat&) const = default;
};

// NETMAP's network (NF_NAT_RANGE_NETMAP: address_low to address_high): its prefix length.
inline unsigned netmap_length(const Nat& n) {
    return *prefix_length(shared_bits(*n.address_low, *n.address_high));
}

// A value computed from a field: source, then `and`, `xor`, `or`, then a shift, in that order.
// Every field it sets is at most 32 bits wide (marks, priority, zone, DSCP).
struct FieldExpression {
    std::optional<uint32_t> constant;  // set when the result does not depend on a field
    std::optional<Selector> source;    // else the field read: meta mark, ct mark, ...
    std::optional<uint32_t> and_mask;
    std::optional<uint32_t> xor_value;
    std::optional<uint32_t> or_value;
    uint8_t right_shift = 0;
    uint8_t left_shift = 0;
    bool operator==(const FieldExpression&) const = default;
};

// `<field> set <expression>`: meta mark, ct mark, ip dscp, ip6 dscp, ip ecn, ip6 ecn, meta
// priority, meta nftrace, ct zone (also of one direction's tuple).
struct SetField {
    Selector field;
    FieldExpression value;
    bool operator==(const SetField&) const = default;
};

struct Notrack {
    bool operator==(const Notrack&) const = default;
};

struct CtHelper {
    std::string_view helper;  // kernel helper name, e.g. "ftp"
    uint8_t protocol;         // the IP protocol of its connections: tcp or udp
    auto operator<=>(const CtHelper&) const = default;
};

struct TcpMss {
    std::optional<uint16_t> size;  // absent: clamp to the route's path MTU
    bool operator==(const TcpMss&) const = default;
};

// SYNPROXY: the host answers a client's SYN with a SYN cookie and opens the connection to the
// server itself once the client's ACK proves the cookie; each option what its SYN-ACK offers.
struct Synproxy {
    std::optional<uint16_t> mss;
    std::optional<uint8_t> wscale;
    bool timestamp = false;
    bool sack_perm = false;
    bool operator==(const Synproxy&) const = default;
};

// TEE: a copy of the packet routed to the gateway (nf_dup_ipv4/ipv6); the packet itself goes on.
struct Dup {
    Address gateway;
    bool operator==(const Dup&) const = default;
};

// TPROXY: the packet given to a transparent socket listening at the address and port (the
// packet's own destination address or port where not given). Its rule is two in the kernel
// (split_rule_pairs): xt_TPROXY drops a packet it finds no such socket for, where nft's tproxy
// lets the chain go on, so a second rule of the same tests drops what the first let go.
struct Tproxy {
    std::optional<Address> address;
    uint16_t port = 0;  // 0: the packet's own
    bool operator==(const Tproxy&) const = default;
};

// `-j SET --add-set/--del-set NAME FLAGS`: the packet's key added (refreshed with --exist) or removed.
struct IpsetUpdate {
    enum class Op : uint8_t { add, update, remove } op = Op::add;
    std::string_view set;
    IpsetFlags flags;
    std::optional<uint32_t> timeout;  // --timeout of an add
    Selector key = PayloadSelector{PayloadField::ip_saddr};
    bool operator==(const IpsetUpdate&) const = default;
};

// A rule nft cannot express: kept so the user is told, never dropped silently.
struct Untranslatable {
    std::string what;            // the module and its options, then why: for the diagnostic
    std::string_view rule_text;  // the rule as written (a view of its line), for the comment that replaces it
    bool operator==(const Untranslatable&) const = default;
};

struct Statement {
    std::variant<Verdict, Reject, Log, NfLog, Queue, Nat, SetField, Notrack, CtHelper, TcpMss, Synproxy, Dup,
                 Tproxy, IpsetUpdate, Untranslatable>
        action;
    Span span;
};

// The jump or goto a statement makes, if it makes one.
inline const Verdict* chain_jump(const Statement& s) {
    auto* v = std::get_if<Verdict>(&s.action);
    return v && (v->kind == VerdictKind::jump || v->kind == VerdictKind::go_to) ? v : nullptr;
}

}  // namespace ipt2nft
