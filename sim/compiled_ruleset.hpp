// The ruleset as the simulator runs it: per table its chains of kernel programs, per hook the
// base chains in the order the kernel calls them.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backends/vm/expressions.hpp"
#include "ir/netfilter_tables.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::sim {

struct CompiledRule {
    vm::Program program;
    Span span;  // the iptables rule
    std::optional<std::string_view> comment;
    int32_t jumps_to = -1;  // the chain its jump or goto names, by position in the table
};

// Consecutive rules that all test the same field for equality before anything but tests
// (kube-proxy's service rules: `ip daddr == X ...`, its node ports: `meta l4proto tcp fib daddr
// type local th dport == N`): the field is loaded once and only the rules testing its value are
// run, in order. Exact: a rule skipped so would have ended at a comparison, having changed
// nothing (interpreter's tests_only).
struct KeyedRun {
    size_t begin, end;                                               // rule positions [begin, end)
    vm::Expression key_load;                                         // the field's load
    uint32_t key_length;                                             // bytes the comparisons test
    std::unordered_map<std::string, std::vector<size_t>> positions;  // a value → its rules, in order
};

struct CompiledChain {
    std::string_view name;
    std::vector<CompiledRule> rules;
    std::vector<KeyedRun> runs;
    std::vector<int32_t> run_of;         // per rule: the index of its run, or -1
    const BuiltinChain* base = nullptr;  // hook, type and priority, as apply registers them
    std::optional<VerdictKind> policy;   // accept when none is given
    Span policy_span;
    Span declared;  // where the input made or declared it
};

struct CompiledTable {
    Family family;
    std::string_view name;
    std::vector<CompiledChain> chains;
    std::unordered_map<std::string_view, size_t> index;  // chain name → position
    std::vector<vm::NamedSet> sets;                      // its ipsets, with their elements; its meters'
};

struct BaseChainRef {
    size_t table, chain;
    int priority;
};

struct CompiledRuleset {
    std::vector<CompiledTable> tables;
    // [family][hook]: the base chains in the kernel's calling order (by priority).
    std::array<std::array<std::vector<BaseChainRef>, 5>, 2> hooks;
    // [family]: how many rules need conntrack; the kernel tracks connections at all only when some
    // do. Only expressions that need conntrack (ct, NAT, helpers) load it for their family; a nat
    // chain alone does not, and without conntrack nat chains are never called.
    std::array<size_t, 2> conntrack_rules{};

    const std::vector<BaseChainRef>& chains_at(Family f, Hook h) const {
        return hooks[static_cast<size_t>(f)][static_cast<size_t>(h)];
    }
};

// Whether the program loads conntrack for its family (see CompiledRuleset::conntrack_rules).
bool needs_conntrack(const vm::Program& program);

// What the tables imply, made once they are all there: each chain's keyed runs, the table's chain
// index and its jumps by position, each hook's base chains in calling order, which families load
// conntrack.
void index_ruleset(CompiledRuleset& ruleset);

// Lowers every rule of `ruleset` (split into kernel rules, all translatable) to its program.
// The result views the ruleset's names, which must outlive it.
CompiledRuleset compile(const Ruleset& ruleset);

}  // namespace ipt2nft::sim
