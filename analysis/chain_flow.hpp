// Which packets reach each rule of a table: its chains walked as the kernel walks them, with
// jumps, gotos, returns, policies and the fields rules change on the way.
#pragma once
#include <array>
#include <functional>
#include <vector>

#include "analysis/rule_sets.hpp"
#include "sim/compiled_ruleset.hpp"

namespace ipt2nft::analysis {

// A final verdict's kind: accepts and drops decide alike; a reject or any other (queue, NAT)
// only like itself (same type, same addresses).
enum class Decision : uint8_t { accept, drop, reject, other };
constexpr size_t decision_kinds = 4;
Decision decision_of(Outcome o);

// What a chain does to the packets that enter it, in terms of them as they enter.
struct ChainSummary {
    std::array<bdd, decision_kinds> decided{bddfalse, bddfalse, bddfalse,
                                            bddfalse};  // surely, within it or its callees
    bdd decided_any = bddfalse;
    bdd writes = bddtrue;  // the variables of fields it or its callees may change (a BuDDy variable set)
    // Of a user chain: the entering packets it surely hands back to its caller unchanged (off its
    // end, or by a RETURN, with no field written on the way), to go on there as they came.
    bdd passes = bddfalse;
};

// The chains that chain `c` jumps or goes to, read from its programs without making sets.
std::vector<size_t> callees(const sim::CompiledTable& table, size_t c);

struct CallSite {
    size_t chain, rule;
};

// One chain's rules as packet sets, and the packets that may reach each.
struct ChainWalk {
    size_t chain;
    std::vector<RuleSets> rules;
    std::vector<size_t> targets;  // per rule: the chain a jump or goto goes to, else SIZE_MAX
    bdd entry = bddfalse;         // the packets that may enter the chain
    std::vector<bdd> reach;

    // The packets rule `r` surely takes out of the chain's walk (decided, or gone by a goto or
    // return), of those reaching it.
    bdd taken(size_t r, const std::vector<ChainSummary>& summaries) const;
};

// What the walk knows of every chain once a chain's walk is seen: every caller was walked before.
// (What enters a chain is kept with its walk alone: thousands of chains' entries held to the end
// would be most of the memory.)
struct TableFlow {
    std::vector<ChainSummary> summaries;
    std::vector<std::vector<CallSite>> callers;
};

// Walks the table's chains, each caller before its callees, and shows each walk to `visit`; the
// rules are made into packet sets per chain and let go after, so memory holds one chain's.
// Returns what the walk learnt of every chain.
TableFlow walk_table(const sim::CompiledTable& table, PacketSpace& space,
                     const std::function<void(const TableFlow&, const ChainWalk&)>& visit);

}  // namespace ipt2nft::analysis
