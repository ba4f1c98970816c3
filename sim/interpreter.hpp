// Runs one kernel rule's program on a packet, expression by expression, as nft_do_chain does.
#pragma once
#include <array>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backends/vm/expressions.hpp"
#include "ir/netfilter_tables.hpp"
#include "sim/conntrack.hpp"
#include "sim/host.hpp"
#include "sim/packet.hpp"

namespace ipt2nft::sim {

// The state stateful expressions keep between packets, per expression: a rate limit's tokens
// (full at the run's start, time from each packet's `at`), an incremental counter (the first
// packet gets 0); and the elements of the named dynamic sets, which start empty.
struct ExpressionState {
    std::map<const void*, int64_t> limit_tokens, limit_last;  // nanoseconds
    std::map<const void*, uint32_t> counters;
    std::map<const void*, uint64_t> quota_consumed;  // bytes
    // By the set's name then the key's bytes (a name is one table's within a family, and the
    // families' keys differ in length): when the element expires, in nanoseconds of `at`.
    std::map<std::string, int64_t, std::less<>> set_elements;
    // A meter's elements' token buckets, by the same names: tokens, and when last filled.
    std::map<std::string, std::pair<int64_t, int64_t>, std::less<>> element_buckets;
    // The ipsets whose elements set_elements holds (from the first time a rule used them).
    std::set<std::string, std::less<>> loaded_sets;
};

// What a NAT expression asks for; the packet path decides and applies it.
struct NatRequest {
    enum class Kind { nat, masquerade, redirect } kind = Kind::nat;
    bool destination = false;
    std::optional<Address> address_min, address_max;
    std::optional<uint16_t> port_min, port_max;
};

struct Outcome {
    bool matched = false;  // every test passed
    std::optional<vm::VerdictCode> verdict;
    std::string_view chain;            // of a jump or goto
    std::optional<NatRequest> nat;     // the verdict is accept
    std::optional<vm::Reject> reject;  // the verdict is drop; a reply is sent
    std::optional<vm::Queue> queue;    // the verdict is the queue's
    std::vector<std::string> effects;  // what changed, in words
    // Expressions the simulation cannot decide exactly; the rule did not match on their account.
    std::vector<std::string> unsimulated;
};

// The kernel's register file: the verdict's 16 bytes, then NFT_REG_1..4 of 16 bytes, which the
// 4-byte registers NFT_REG32_00..15 overlay.
class RegisterFile {
public:
    uint8_t* at(vm::Register r) { return bytes_.data() + (r <= 4 ? r * 16u : 16u + (r - 8u) * 4u); }
    // A load of `length` bytes: the last 32-bit word it touches is cleared first, as the kernel does.
    uint8_t* load(vm::Register r, size_t length) {
        uint8_t* p = at(r);
        std::memset(p + length / 4 * 4, 0, length % 4 ? 4 : 0);
        return p;
    }
    void put32(vm::Register r, uint32_t v) { std::memcpy(at(r), &v, 4); }
    void put16(vm::Register r, uint16_t v) { std::memcpy(load(r, 2), &v, 2); }
    void put8(vm::Register r, uint8_t v) { *load(r, 1) = v; }

private:
    // The verdict's 16 bytes and NFT_REG_1..4; then room for a 16-byte key (an interface name)
    // loaded into the last 4-byte register, which the kernel refuses and a compiled file's check
    // (program_json) lets through, as it bounds only the lengths a program gives.
    std::array<uint8_t, 16 + 4 * 16 + 16> bytes_{};
};

struct Environment {
    Packet& packet;
    Hook hook;
    PacketTrack& track;
    ConntrackTable& conntrack;
    const Host& host;
    ExpressionState& state;
    bool record;  // effects are said in words, for a trace
    // The ipsets of the table whose chain runs: named sets with elements of their own.
    const std::vector<vm::NamedSet>* named_sets = nullptr;
    // One per walk of a base chain and the chains it reaches, kept from rule to rule, as
    // nft_do_chain keeps its registers: a program reads what it wrote, or what a rule before it did.
    RegisterFile registers = {};
};

Outcome run_program(const vm::Program& program, Environment& env);

// Whether an expression only loads or compares, as the interpreter runs it: it changes nothing
// (no state, no packet, no verdict) and is always simulated, so a rule that stops at one, or is
// skipped before one, hides nothing.
bool tests_only(const vm::Expression& expression);

// The value a load that tests_only accepts puts in its register, as `length` bytes; false when
// the load fails (the field is not there).
bool load_key(const vm::Expression& load, Environment& env, uint32_t length, std::string& key);

}  // namespace ipt2nft::sim
