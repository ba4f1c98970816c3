// The callees of each hook, ordered once per ruleset: conntrack at -200 (prerouting, output),
// NAT at -100 (prerouting, output) and 100 (input, postrouting) when the family has nat chains,
// the confirmation last (input, postrouting).
#include "sim/hook_callees.hpp"

#include <algorithm>
#include <climits>

namespace ipt2nft::sim {

namespace {

constexpr int conntrack_priority = -200;  // NF_IP_PRI_CONNTRACK
constexpr int destination_nat_priority = -100, source_nat_priority = 100;

std::vector<Callee> callees_at(const CompiledRuleset& rules, Family family, Hook h) {
    std::vector<Callee> callees;
    bool nat = false;
    for (const auto& t : rules.tables) nat = nat || (t.family == family && is_nat(t));
    for (const auto& ref : rules.chains_at(family, h))
        if (!is_nat(rules.tables[ref.table])) callees.push_back({Callee::Kind::chain, ref.priority, ref});
    bool destination = h == Hook::prerouting || h == Hook::output;
    if (destination) callees.push_back({Callee::Kind::conntrack, conntrack_priority, {}});
    if (nat) callees.push_back({Callee::Kind::nat, destination ? destination_nat_priority : source_nat_priority, {}});
    if (h == Hook::postrouting || h == Hook::input) callees.push_back({Callee::Kind::confirm, INT_MAX, {}});
    std::stable_sort(callees.begin(), callees.end(),
                     [](const Callee& a, const Callee& b) { return a.priority < b.priority; });
    return callees;
}

}  // namespace

bool is_nat(const CompiledTable& table) {
    return table.name == "nat";
}

HookCallees hook_callees(const CompiledRuleset& rules) {
    HookCallees out;
    for (Family f : {Family::ipv4, Family::ipv6})
        for (Hook h : {Hook::prerouting, Hook::input, Hook::forward, Hook::output, Hook::postrouting})
            out[static_cast<size_t>(f)][static_cast<size_t>(h)] = callees_at(rules, f, h);
    return out;
}

}  // namespace ipt2nft::sim
