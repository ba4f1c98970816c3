// One kernel rule as packet sets: the packets it surely matches, those it may match, and what it
// does to them.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/packet_space.hpp"
#include "backends/vm/expressions.hpp"
#include "ir/values.hpp"

namespace ipt2nft::analysis {

enum class Outcome : uint8_t { none, accept, drop, reject, queue, nat, return_, jump, go_to };

bool is_final(Outcome o);  // the packet leaves the chain here, with a verdict of its own

struct FieldWrite {
    bdd variables;  // the field's, to forget its old value
    bdd assigned;   // its new value when the rule sets a constant, else bddtrue
};

struct RuleSets {
    // `must` ⊆ `may`: they differ by what no packet field decides (rate limits, random numbers,
    // routing look-ups), which a rule may or may not match on.
    bdd must, may;
    Outcome outcome = Outcome::none;
    std::string_view chain;  // of a jump or goto
    std::string action;      // a reject's type and code, a queue's numbers, a NAT's addresses: what makes two alike
    std::vector<FieldWrite> writes;
    // A DNAT or REDIRECT: the destination address and port it sets (empty for other rules).
    std::vector<FieldWrite> redirected;
    bool to_host = false;       // a REDIRECT: to the host itself
    bool leaves_trace = false;  // a log message: a packet it matches is seen
};

// Declares the fields the program loads to `space` (see PacketSpace::declare).
void declare_fields(const vm::Program& program, Family family, PacketSpace& space);

// Reads rules one after another with one register file, as the kernel runs a chain: making a
// fresh file of hundreds of bits for each of a large ruleset's rules cost more than its tests.
class RuleReader {
public:
    // With the table's ipsets, a lookup in one no rule changes is exact; else unknown.
    RuleReader(PacketSpace& space, Family family, const std::vector<vm::NamedSet>* ipsets = nullptr);
    ~RuleReader();
    RuleReader(const RuleReader&) = delete;
    RuleReader& operator=(const RuleReader&) = delete;

    // What a read makes: what a chain's summary needs (the sets, the outcome, the writes), or also
    // what findings compare and follow (a NAT's addresses, where a DNAT sends the packet).
    enum class Detail : uint8_t { decisions, findings };
    RuleSets read(const vm::Program& program, Detail detail = Detail::findings);

private:
    class Machine;
    std::unique_ptr<Machine> machine_;
};

RuleSets rule_sets(const vm::Program& program, Family family, PacketSpace& space);  // one rule

}  // namespace ipt2nft::analysis
