// Condition: a selector (what the kernel loads), an operator and a value; or a rate limit.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ir/fields.hpp"
#include "ir/span.hpp"
#include "ir/values.hpp"

namespace ipt2nft {

// Selector keys are the kernel's, described in ir/fields.hpp.

// A field of a protocol header.
struct PayloadSelector {
    PayloadField field;
    bool operator==(const PayloadSelector&) const = default;
};
// Packet metadata.
struct MetaSelector {
    MetaKey key;
    bool operator==(const MetaSelector&) const = default;
};
// Conntrack: a key of the connection, or of its tuple in one direction.
struct CtSelector {
    CtKey key;
    CtDirection direction = CtDirection::none;
    bool operator==(const CtSelector&) const = default;
};
// A routing lookup of an address: the route's type, as xt_addrtype asks it, or the interface the
// route leaves by, as xt_rpfilter asks it (for the source, by the input interface and, with
// `mark`, the packet's mark).
struct FibSelector {
    FibAddress address;
    FibInterface interface = FibInterface::none;
    FibResult result = FibResult::type;
    bool mark = false;
    bool operator==(const FibSelector&) const = default;
};
// Presence of a TCP option, by kind number.
struct TcpOptionSelector {
    uint8_t kind;
    bool operator==(const TcpOptionSelector&) const = default;
};
// The value of a TCP packet's MSS option (its two bytes after kind and length), where it has one:
// nft's `tcp option maxseg size`.
struct TcpMssSelector {
    bool operator==(const TcpMssSelector&) const = default;
};
// The OS genre nft's osf names for a TCP SYN: that of the first loaded fingerprint it matches
// (nfnetlink_osf's nf_osf_find), compared as a NUL-padded name. `ttl` is how the packet's TTL is
// held against the fingerprint's: 0 equal, 1 lower or equal (`ttl loose`), 2 not (`ttl skip`).
struct OsfSelector {
    uint8_t ttl = 0;
    bool operator==(const OsfSelector&) const = default;
};
// A per-rule packet counter modulo `modulus`, as xt_statistic's nth mode keeps it.
struct NumgenSelector {
    uint32_t modulus;
    bool operator==(const NumgenSelector&) const = default;
};

// Whether the packet's route goes through IPsec (its dst has an xfrm bundle): nft's `rt ipsec`.
struct RouteIpsecSelector {
    bool operator==(const RouteIpsecSelector&) const = default;
};

// 32 bits or fewer of a header at any byte offset, as nft's raw payload (`@nh,OFFSET,LENGTH`)
// reads them: xt_u32's words.
struct RawPayloadSelector {
    HeaderBase base = HeaderBase::network;
    uint32_t offset_bits = 0;
    uint8_t length_bits = 32;
    bool operator==(const RawPayloadSelector&) const = default;
};

// One field of a concatenation: a header field or packet metadata.
using ConcatPart = std::variant<PayloadSelector, MetaSelector>;

// Several fields compared at once against concatenated values (`tcp sport . tcp dport`, an
// ipset's `ip saddr . meta l4proto . th dport`). Up to four fields in place, not a vector: every
// condition holds a Selector, and a rule holds its conditions by the hundred thousand.
struct ConcatSelector {
    ConcatSelector(std::initializer_list<ConcatPart> fields) : count(static_cast<uint8_t>(fields.size())) {
        std::copy_n(fields.begin(), std::min<size_t>(fields.size(), stored.size()), stored.begin());
    }
    std::span<const ConcatPart> parts() const { return {stored.data(), count}; }
    bool push(ConcatPart part) {
        if (count == stored.size()) return false;
        stored[count++] = part;
        return true;
    }
    bool operator==(const ConcatSelector& other) const {
        return std::equal(parts().begin(), parts().end(), other.parts().begin(), other.parts().end());
    }

private:
    std::array<ConcatPart, 4> stored{};
    uint8_t count;
};

using Selector = std::variant<PayloadSelector, MetaSelector, CtSelector, FibSelector, TcpOptionSelector, TcpMssSelector,
                              OsfSelector, NumgenSelector, RouteIpsecSelector, RawPayloadSelector, ConcatSelector>;

// The data type of a selector's values (a concatenation's is its first field's).
Datatype selector_datatype(const Selector& s);
Datatype part_datatype(const ConcatPart& part);
// nft's words for raw bits: the header's (`nh`), and the whole `@nh,224,32`.
std::string_view raw_base_word(HeaderBase base);
std::string raw_payload_word(const RawPayloadSelector& r);
// A concatenation's field as a selector of its own.
Selector part_selector(const ConcatPart& part);

enum class Op {
    eq,
    neq,
    lt,
    gt,
    le,
    ge,
    any_flag,   // flag types: at least one of the listed flags is set
    no_flag,    // flag types: none of the listed flags is set
    masked_eq,  // (selector & mask) == value
    masked_neq,
};

struct Compare {
    Selector selector;
    Op op = Op::eq;
    Value value;
    std::optional<uint64_t> mask;  // (selector & mask) before the comparison
    bool operator==(const Compare&) const = default;
};

// A token bucket: in nft a statement, but one that stops the rule like a match does.
struct RateLimit {
    uint64_t rate = 0;
    uint64_t period = 1;  // seconds the rate is per: 1, 60, 3600 or 86400 (NFTA_LIMIT_UNIT)
    uint32_t burst = 0;
    bool operator==(const RateLimit&) const = default;
};

// A byte quota, as xt_quota keeps it: the rule matches while the bytes of the packets it saw,
// this one's included, add up to at most `bytes`, and no more once one packet did not fit;
// `over` (`! --quota`) the other way round. nft_quota does the same since 2025 (Linux 6.15 and the
// stable kernels it went to); before, it stopped at the packet that reached the quota.
struct Quota {
    uint64_t bytes = 0;
    bool over = false;
    bool operator==(const Quota&) const = default;
};

// A named dynamic set of the rule's table, keyed by the packet's address (masked). xt_recent's
// list: the address added or refreshed (`--set`), looked up (`--rcheck`), looked up and refreshed
// (`--update`); the set's timeout is the `--seconds` its lookups share (resolve_dynamic_sets), so
// an address is in it while its last sighting is that recent; nft_dynset refreshes it. Or
// xt_connlimit's count: the address added with its own count of connections (nft_connlimit),
// the rule matching while it is above `connections` (--connlimit-above, nft's `ct count over`)
// or, inverted, not (--connlimit-upto); one set per such rule, named when the table is known.
struct SetTest {
    enum class Action : uint8_t { add, check, check_update, count };
    Action action = Action::add;
    std::string_view set;  // the list's name, views the input; a count's, resolve_dynamic_sets's
    PayloadField key = PayloadField::ip_saddr;
    std::optional<Address> mask;      // none: the whole address
    std::optional<uint32_t> seconds;  // of a lookup
    bool inverted = false;            // `! --rcheck`: the address is not in the set; a count: at most
    uint32_t connections = 0;         // a count's limit
    bool operator==(const SetTest&) const = default;
};

// xt_hashlimit's table: a token bucket per key, the packet's fields its modes name (addresses
// masked to a prefix), in a dynamic set whose elements expire `timeout_ms` after their last
// packet (nft's meter). The rule matches while its key's bucket holds a packet (`over`: once it
// does not). Rules naming one table share its buckets: then the set is declared in the nft table
// (`shared`, set by resolve_meters), else each rule keeps its own meter.
struct Meter {
    std::string_view name;                 // --hashlimit-name, views the input
    ConcatSelector key{};                  // one to four fields, in iptables-translate's order
    std::optional<uint8_t> source_prefix;  // of the source address in the key, if masked
    std::optional<uint8_t> destination_prefix;
    RateLimit limit;
    bool over = false;  // --hashlimit-above
    uint32_t timeout_ms = 0;
    std::optional<uint32_t> size;  // --hashlimit-htable-max
    bool shared = false;
    bool operator==(const Meter&) const = default;
};

// xt_set's flags: for each dimension of the key, whether the packet's source or destination.
struct IpsetFlags {
    uint8_t count = 0;    // how many were given
    uint8_t sources = 0;  // bit i: dimension i is `src`
    bool operator==(const IpsetFlags&) const = default;
};

// `-m set --match-set NAME FLAGS`: whether the packet's key is in the set. `key` is set by
// resolve_ipsets, once the set's type is known.
struct IpsetLookup {
    std::string_view set;
    IpsetFlags flags;
    bool inverted = false;
    Selector key = PayloadSelector{PayloadField::ip_saddr};
    bool operator==(const IpsetLookup&) const = default;
};

// Matches the kernel takes in some hooks only, wherever their rule's chain is reached from:
// the socket owner of a packet sent from here, the source MAC of a received frame, addrtype's
// limit to the input or output interface, devgroup's groups of those, cgroup's socket, realm's
// route, policy's path of a packet received, rpfilter's input interface before routing, osf's
// SYN received.
// check_match_hooks holds the hooks of each.
enum class HookLimit : uint8_t {
    none,
    local_socket,
    received_frame,
    input_interface,
    output_interface,
    input_group,
    output_group,
    socket_cgroup,
    routed,
    policy_in,
    policy_out,
    reverse_path,
    received_syn,
};

struct Condition {
    std::variant<Compare, RateLimit, Quota, SetTest, IpsetLookup, Meter> test;
    Span span;  // the option(s) it came from
    HookLimit hook_limit = HookLimit::none;
    // Written for a conntrack match whose state test lets packets without a connection through:
    // xt_conntrack tests nothing else for those (see Rule::connectionless_states).
    bool of_conntrack_match = false;
    // The -p test of a rule that loads the protocol's own match (`-p tcp -m tcp`).
    bool protocol_of_match = false;

    // A token bucket, a quota, an nth-packet counter or a dynamic set: each time the test is made counts,
    // so where and how often a rule makes it changes what it answers.
    bool keeps_state() const {
        if (std::holds_alternative<IpsetLookup>(test)) return false;
        auto* cmp = std::get_if<Compare>(&test);
        return !cmp || std::holds_alternative<NumgenSelector>(cmp->selector);
    }
};

}  // namespace ipt2nft
