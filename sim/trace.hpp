// What the simulation of one packet records: the chains it passed, the rules that matched, what
// changed, and where it ended.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/netfilter_tables.hpp"
#include "ir/span.hpp"
#include "sim/packet.hpp"

namespace ipt2nft::sim {

struct RuleMatch {
    Span rule;                         // the iptables rule
    size_t position;                   // the kernel rule's in its chain, from 0
    std::vector<std::string> effects;  // what it changed
    std::string verdict;               // accept, drop, jump CHAIN, ...; empty when it went on
};

// A base or user chain entered (again, after a return).
struct Step {
    Hook hook;
    std::string_view table, chain;
    std::vector<RuleMatch> matches;
    std::string end;                       // how the packet left the chain: a rule's verdict, `policy drop`, `return`
    std::vector<std::string> unsimulated;  // expressions of this chain's rules not simulated
};

// Conntrack, NAT and routing as they happened, between steps.
struct Event {
    size_t before_step;  // the number of steps recorded when it happened
    Hook hook;
    std::string text;
};

struct Trace {
    std::string description;
    std::vector<Step> steps;
    std::vector<Event> events;
    bool accepted = false;  // nft's words: accept or drop
    std::string end;        // delivered locally, forwarded out eth1, dropped at ...
    // What decided: for a drop the rule or the policy line that dropped it; for an accept the last
    // rule that accepted it outside nat chains, none when only policies did.
    std::optional<Span> decided_by;
    std::optional<std::string_view> decided_comment;  // that rule's comment
    // The packet as it left or arrived after NAT, and its connection's state.
    std::string final_flow;
    std::string ct_state;
    // The packet's connection after it: its tuples in the original and the reply direction, and
    // whether it is in the table (a packet of it got through postrouting or input, and no reset
    // ended it).
    struct Connection {
        std::string original, reply;
        bool in_table;
    };
    std::optional<Connection> connection;
    bool unsimulated = false;  // some expression could not be decided: the verdict may differ
};

}  // namespace ipt2nft::sim
