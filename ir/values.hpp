// Values carried by conditions and statements: integers, addresses, prefixes, names, ranges, sets.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ipt2nft {

enum class Family : uint8_t { ipv4, ipv6 };

struct Address {
    Family family = Family::ipv4;
    std::array<uint8_t, 16> bytes{};  // IPv4 uses the first four

    size_t size() const { return family == Family::ipv4 ? 4 : 16; }
    bool operator==(const Address&) const = default;
};

Address mask_of_length(Family family, unsigned length);
Address apply_mask(const Address& a, const Address& mask);
// The prefix length when the mask is contiguous ones then zeros.
std::optional<unsigned> prefix_length(const Address& mask);
// The bits two addresses share, as a mask: a network's first and last address give its mask.
Address shared_bits(const Address& a, const Address& b);
std::string to_string(const Address& a);
// 224.0.0.0/4 or ff00::/8.
bool is_multicast(const Address& a);
// 255.255.255.255 (IPv6 has no broadcast).
bool is_limited_broadcast(const Address& a);

struct Prefix {
    Address address;  // already masked
    Address mask;
    bool operator==(const Prefix&) const = default;
};

struct MacAddress {
    std::array<uint8_t, 6> bytes{};
    bool operator==(const MacAddress&) const = default;
};

// An interface name as iptables means it: a trailing '+' matches any suffix. Also osf's genre,
// which the kernel compares alike, NUL-padded (never a wildcard).
struct InterfaceName {
    std::string_view name;  // views the input or a literal
    bool wildcard = false;
    bool operator==(const InterfaceName&) const = default;
};

struct Value;
struct Range {
    std::vector<Value> bounds;  // exactly two: low, high (a vector breaks the recursive type)
    bool operator==(const Range&) const = default;
};
struct ValueSet {
    std::vector<Value> elements;
    bool operator==(const ValueSet&) const = default;
};
// Concatenated key, e.g. `tcp sport . tcp dport`: one element per concatenated selector.
struct Concat {
    std::vector<Value> parts;
    bool operator==(const Concat&) const = default;
};

struct Value {
    std::variant<uint64_t, Address, Prefix, MacAddress, InterfaceName, Range, ValueSet, Concat> v;

    Value() : v(uint64_t{0}) {}
    template <typename T>
    Value(T x) : v(std::move(x)) {}
    bool operator==(const Value&) const = default;
};

Value make_range(Value low, Value high);
// One number when low is high, else the range of them.
Value number_or_range(uint64_t low, uint64_t high);

}  // namespace ipt2nft
