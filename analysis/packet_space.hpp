// The packet fields lint reasons about as BuDDy variables: where BuDDy is set up and variables made.
#pragma once
#include <bdd.h>

#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <vector>

namespace ipt2nft::analysis {

// Where bytes a rule tests come from. A header base's bytes are one space, so loads of
// overlapping ranges (tcp and udp ports, a prefix and its address) share their variables.
struct FieldSpace {
    enum class Kind : uint8_t {
        payload,     // key: the header base
        meta,        // key: NFT_META_*
        ct,          // key: NFT_CT_*, direction: 1 + IP_CT_DIR_* when given
        tcp_option,   // key: the option kind
        ipv6_header,  // key: the extension header's next-header number
        presence,    // a one-bit fact: key says which (see Presence)
    } kind;
    uint8_t key = 0;
    uint8_t direction = 0;
    auto operator<=>(const FieldSpace&) const = default;
};

// Facts a load depends on: without them the kernel's load breaks the rule.
enum class Presence : uint8_t { transport_header, socket, connection, input_interface, tcp_option, ipv6_header };

// a & !b, without building !b: BuDDy has no complement edges, so a negation copies every node.
inline bdd minus(const bdd& a, const bdd& b) {
    return bdd_apply(a, b, bddop_diff);
}

using Bits = std::vector<bdd>;  // per bit, the most significant bit of the first byte first

// BuDDy holds its nodes in one global table: one PacketSpace at a time.
class PacketSpace {
public:
    PacketSpace();
    ~PacketSpace();
    PacketSpace(const PacketSpace&) = delete;
    PacketSpace& operator=(const PacketSpace&) = delete;

    // A BDD's size depends on its variables' order: fields declared before use get theirs in one
    // fixed order (header bytes by offset, then metadata, then conntrack) at `make_declared`,
    // rather than in the order rules first test them.
    void declare(FieldSpace space, uint32_t offset, uint32_t length);
    void make_declared();

    // The variables of `length` bytes of `space` from `offset`.
    Bits field(FieldSpace space, uint32_t offset, uint32_t length);
    bdd present(Presence fact, uint8_t which = 0);
    // The set of those variables, to quantify them away.
    bdd field_variables(FieldSpace space, uint32_t offset, uint32_t length);

    // A value no packet field determines (a random number, a rate limit's tokens): fresh bits,
    // the same ones again after `reset_unknowns`, so every rule draws from one pool.
    Bits unknown(uint32_t length);
    void reset_unknowns() { unknowns_used_ = 0; }
    bool drew_unknowns() const { return unknowns_used_ > 0; }  // since the last reset
    bdd unknown_variables() const { return unknown_set_; }

private:
    int variable(FieldSpace space, uint32_t byte);
    int add_variables(int count);
    std::map<std::pair<FieldSpace, uint32_t>, int> byte_variables_;  // first of the byte's 8
    std::set<std::pair<FieldSpace, uint32_t>> declared_;
    std::map<std::tuple<FieldSpace, uint32_t, uint32_t>, bdd> variable_sets_;
    std::vector<int> unknowns_;
    size_t unknowns_used_ = 0;
    bdd unknown_set_ = bddtrue;
};

}  // namespace ipt2nft::analysis
