// The kernel's expression language as plain data: one struct per nf_tables expression a rule holds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ir/fields.hpp"
#include "ir/span.hpp"

namespace ipt2nft::vm {

// Register contents as the kernel holds them, byte by byte (network order for header fields, the
// host's for metadata).
using Bytes = std::vector<uint8_t>;

// Registers by the kernel's numbers: 0 the verdict, 1-4 the 16-byte ones, 8-23 the 4-byte ones.
using Register = uint8_t;

struct PayloadLoad {
    HeaderBase base;
    uint32_t offset, length;  // bytes
    Register dreg;
};
struct PayloadWrite {
    Register sreg;
    HeaderBase base;
    uint32_t offset, length;
    uint32_t checksum_type, checksum_offset, checksum_flags;  // NFT_PAYLOAD_CSUM_*
};
struct MetaLoad {
    uint8_t key;  // NFT_META_*
    Register dreg;
};
struct MetaSet {
    uint8_t key;
    Register sreg;
};
struct CtLoad {
    uint8_t key;                       // NFT_CT_*
    std::optional<uint8_t> direction;  // IP_CT_DIR_ORIGINAL 0, IP_CT_DIR_REPLY 1
    Register dreg;
};
struct CtSet {
    uint8_t key;
    std::optional<uint8_t> direction;
    Register sreg;
};
struct FibLoad {
    uint32_t flags;   // NFTA_FIB_F_*
    uint32_t result;  // NFT_FIB_RESULT_*
    Register dreg;
};
// A TCP option or an IPv6 extension header: its presence, or bytes of it.
struct ExthdrLoad {
    uint8_t op;    // NFT_EXTHDR_OP_TCPOPT, NFT_EXTHDR_OP_IPV6
    uint8_t type;  // the option kind, the header's next-header number
    uint32_t offset, length;
    bool present;  // NFT_EXTHDR_F_PRESENT: a boolean of whether it is there
    Register dreg;
};
struct ExthdrWrite {
    uint8_t type;
    uint32_t offset, length;
    Register sreg;
};
struct RtLoad {
    uint8_t key;  // NFT_RT_*
    Register dreg;
};
struct NumgenLoad {
    uint32_t modulus;
    Register dreg;
};
// The genre of the first OS fingerprint a TCP SYN matches ("unknown" for none), 16 bytes.
struct OsfLoad {
    uint8_t ttl;  // NF_OSF_TTL_*
    Register dreg;
};
struct ByteOrder {
    Register sreg, dreg;
    bool to_network;  // hton, else ntoh
    uint32_t length, size;
};

struct Cmp {
    uint8_t op;  // NFT_CMP_*
    Register sreg;
    Bytes data;
};
struct Bitwise {
    Register sreg, dreg;
    Bytes mask, xor_value;  // (reg & mask) ^ xor
};
struct Shift {
    Register sreg, dreg;
    bool left;
    uint32_t amount;
    uint32_t length;
};
struct Range {
    bool negated;  // NFT_RANGE_NEQ
    Register sreg;
    Bytes from, to;
};
struct Lookup {
    Register sreg;
    size_t set;  // of the rule's anonymous sets
    bool inverted;
};

// A lookup in a named set of the rule's table (a dynamic set: xt_recent's lists).
struct NamedLookup {
    Register sreg;
    std::string_view set;
    bool inverted;
};
// nft_limit: a token bucket of `rate` packets per `period` seconds holding `burst`; the rule
// stops where the packet finds no token (with `over`, NFT_LIMIT_F_INV, where it finds one).
struct Limit {
    uint64_t rate, period;
    uint32_t burst;
    bool over = false;
};
// nft_dynset: the key added to a named set, or refreshed in it; with a connection limit, each
// element counts its key's connections (nft_connlimit), and the rule stops where the count is
// not above it (with `over`) or is above it (without); with a limit, each element keeps its own
// token bucket (nft's meter), made when the element is.
struct Dynset {
    uint8_t op;  // NFT_DYNSET_OP_ADD, _UPDATE
    Register sreg;
    std::string_view set;
    uint64_t timeout_ms;  // an element added or refreshed expires this long after; 0: never
    std::optional<uint32_t> connection_limit = std::nullopt;
    bool over = false;  // NFT_CONNLIMIT_F_INV
    std::optional<Limit> limit = std::nullopt;
};

// What `immediate` puts in the verdict register.
enum class VerdictCode : uint8_t { accept, drop, return_, jump, go_to, continue_ };
struct ImmediateVerdict {
    VerdictCode code;
    std::string_view chain;
};
struct ImmediateData {
    Register dreg;
    Bytes data;
};

struct Counter {
    uint64_t packets = 0, bytes = 0;
};
// nft_quota: stops the rule once its packets' bytes pass `bytes` (with `over`, until then).
struct Quota {
    uint64_t bytes;
    bool over;  // NFT_QUOTA_F_INV
};
struct Log {
    std::optional<std::string_view> prefix;
    std::optional<uint16_t> group;  // set: nflog, with snaplen and threshold
    uint32_t snaplen = 0;
    uint16_t threshold = 0;
    std::optional<uint8_t> level;
    uint8_t flags = 0;
};
struct Nat {
    bool destination;                                                       // dnat, else snat
    uint8_t family;                                                         // NFPROTO_*
    Register address_min = 0, address_max = 0, port_min = 0, port_max = 0;  // 0: not given
    uint32_t flags = 0;
};
// Masquerade, or redirect: ports only.
struct PortNat {
    bool redirect;
    Register port_min = 0, port_max = 0;
    uint32_t flags = 0;
};
struct Reject {
    uint8_t type, code;
};
struct Queue {
    uint16_t number, total;
    uint16_t flags;  // NFT_QUEUE_FLAG_*
};
struct Notrack {};
// nft_tproxy: the packet given to a transparent socket at the address and port in the registers
// (0: none, the packet's own); the rule stops where there is none.
struct Tproxy {
    uint8_t family;  // NFPROTO_*
    Register address = 0, port = 0;
};
// nft_dup: a copy of the packet routed to the address in the register.
struct Dup {
    Register address;
};
// nft_synproxy: a client's SYN answered with a cookie, its ACK checked; either is then taken
// (stolen or dropped), any other packet goes on.
struct Synproxy {
    uint16_t mss;
    uint8_t wscale;
    uint32_t flags;  // NF_SYNPROXY_OPT_*
};
struct ObjectRef {
    uint32_t type;  // NFT_OBJECT_*
    std::string name;
};

using Expression = std::variant<PayloadLoad, PayloadWrite, MetaLoad, MetaSet, CtLoad, CtSet, FibLoad, ExthdrLoad,
                                ExthdrWrite, RtLoad, NumgenLoad, ByteOrder, Cmp, Bitwise, Shift, Range, Lookup,
                                ImmediateVerdict, ImmediateData, Counter, Limit, Quota, Log, Nat, PortNat, Reject,
                                Queue, Notrack, Synproxy, Dup, Tproxy, ObjectRef, NamedLookup, Dynset, OsfLoad>;

// An anonymous constant set a rule looks keys up in.
struct AnonymousSet {
    uint32_t key_length;  // bytes
    bool interval;
    bool concatenated = false;  // NFT_SET_CONCAT: each element a range of concatenated keys
    struct Element {
        Bytes key;
        bool interval_end = false;     // NFT_SET_ELEM_INTERVAL_END: the first key past a range
        std::optional<Bytes> key_end;  // a concatenated range's last key
    };
    std::vector<Element> elements;
    // What the key is, for the set's description in the kernel (which nft lists it by): the data
    // type of each field, their lengths in bytes when concatenated, the byte order.
    std::vector<Datatype> key_types = {};
    std::vector<uint8_t> field_lengths = {};
    ipt2nft::ByteOrder key_order = ipt2nft::ByteOrder::big;
};

// A named set of a table (an ipset): its key and elements as an anonymous set's, and what a named
// one adds: a default timeout, a size, elements of their own timeouts and comments.
struct NamedSet {
    std::string_view name;
    AnonymousSet content;
    bool dynamic = false;          // NFT_SET_EVAL: rules add to it
    bool timeouts = false;         // NFT_SET_TIMEOUT
    uint64_t timeout_ms = 0;       // the default; 0: none
    std::optional<uint32_t> size;  // NFTA_SET_DESC_SIZE
    bool counters = false;         // NFTA_SET_EXPR: a counter per element
    // Per element of `content`, where its elements are the input's (ipset_merges_elements).
    std::vector<std::optional<uint64_t>> element_timeouts_ms;
    std::vector<std::optional<std::string_view>> comments;
    std::vector<std::optional<Counter>> counts;
};

// One kernel rule: its expressions and the sets they look up.
struct Program {
    std::vector<Expression> expressions;
    std::vector<AnonymousSet> sets;
    std::vector<Span> sources;  // per expression: the condition or statement it came from
};

}  // namespace ipt2nft::vm
