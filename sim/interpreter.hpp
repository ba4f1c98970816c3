// Runs one kernel rule's program on a packet, expression by expression, as nft_do_chain does.
#pragma once
#include <map>
#include <optional>
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
// packet gets 0).
struct ExpressionState {
    std::map<const void*, int64_t> limit_tokens, limit_last;  // nanoseconds
    std::map<const void*, uint32_t> counters;
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

struct Environment {
    Packet& packet;
    Hook hook;
    PacketTrack& track;
    ConntrackTable& conntrack;
    const Host& host;
    ExpressionState& state;
    bool record;  // effects are said in words, for a trace
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
