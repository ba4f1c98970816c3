// Chain graph helpers: who jumps where, and which hooks can reach each chain.
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ir/netfilter_tables.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

struct ChainReference {
    const Chain* from;
    const Rule* rule;
    const Verdict* verdict;
};

std::vector<ChainReference> find_references(const Table& table, std::string_view chain);
// Every jump and goto of a table, in rule order.
std::vector<ChainReference> all_references(const Table& table);
// For each chain, the hooks of the built-in chains from which it can be reached.
std::unordered_map<std::string, std::set<Hook>> reaching_hooks(const Table& table);

}  // namespace ipt2nft
