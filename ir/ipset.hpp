// ipset's sets as `ipset create`/`ipset add` (or an `ipset save` file) make them, and their keys in nft.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ir/condition.hpp"
#include "ir/rule.hpp"
#include "ir/span.hpp"
#include "ir/values.hpp"

namespace ipt2nft {

// One dimension of a set's type (`hash:net,port` has two).
enum class IpsetDim : uint8_t { ip, net, port, mac, iface, mark };
enum class IpsetMethod : uint8_t { hash, bitmap, list };

struct IpsetElement {
    std::string_view text;  // as written: `10.0.0.0/8,tcp:80`
    Span span;
    Value key;  // by read_ipset_elements: one value, or a Concat of one per key field
    std::optional<uint32_t> timeout;
    std::optional<std::string_view> comment;
    std::optional<Counters> counts;  // `packets N bytes M`, as ipset save writes them
    bool nomatch = false;
};

struct Ipset {
    std::string_view name;
    Span declared;  // the create command, at the name
    IpsetMethod method = IpsetMethod::hash;
    std::vector<IpsetDim> dims;
    std::string_view type_text;  // as written: `hash:ip,port`
    Family family = Family::ipv4;
    std::optional<uint32_t> timeout;  // seconds an element lasts by default; 0 or none: for ever
    std::optional<uint32_t> maxelem;
    bool counters = false;  // each element counts the packets and bytes it matched
    bool comments = false;  // created with `comment`: its elements may have one
    std::vector<IpsetElement> elements;
    // Each element's position by its text, for the replay's adds and deletes (blocklists run to
    // hundreds of thousands of elements); emptied once the elements are read by type.
    std::unordered_map<std::string_view, size_t> positions;
    bool interval = false;  // by read_ipset_elements: an element is a prefix or a range
    // A list:set's members, once read_used_ipset_elements made it their union (their type, their
    // elements): xt_set matches a list:set where any member matches.
    std::vector<std::string_view> members;
    // Why nft cannot hold the set (netmask, forceadd), reported where a rule uses it.
    std::string refusal;
    Span refusal_span;
    // --external-set: the nft set is in the kernel's table already (the input adds to it), kept
    // by whoever fills it: rules name it, no table declares it.
    bool external = false;
};

// A set as a table declares it: nft's sets are a table's, ipset's the whole namespace's.
struct DeclaredIpset {
    std::shared_ptr<const Ipset> set;
    bool updated = false;  // by a rule of the table (SET): a dynamic set, sized by maxelem
};

// What an ipset command does to the sets.
struct IpsetChange {
    enum class Kind : uint8_t { create, add, remove, flush, destroy } kind = Kind::create;
    std::string_view set;  // empty for flush and destroy of every set
    Span set_span;
    bool exist = false;    // -exist: an existing set or element is no error
    Ipset created;         // create
    IpsetElement element;  // add, remove
};

// The nft key of a set's type for these flags: `ip saddr . meta l4proto . th dport`; a port's
// dimension is two fields, its protocol and the port. Nothing when the key has more than four.
std::optional<Selector> ipset_key(const Ipset& set, IpsetFlags flags);
// Whether nft holds the set's elements merged into intervals (addresses, networks and ranges of
// one dimension: flatten_addresses), losing what each has of its own (timeout, comment, counts);
// else each element is one of nft's.
bool ipset_merges_elements(const Ipset& set);
// The key's fields as the set declares them (each dimension as its source).
Selector ipset_declared_key(const Ipset& set);
// The data type of each of the key's fields.
std::vector<Datatype> ipset_key_types(const Ipset& set);
// nft's flags of the set as a table declares it: interval, timeout, dynamic.
std::vector<std::string_view> ipset_flag_words(const DeclaredIpset& declared);
// The size nft gives a set rules add to: ipset's maxelem (65536 when not given); nft's own
// default (65535) would be one short.
uint32_t ipset_size(const Ipset& set);

}  // namespace ipt2nft
