// --inet's plan: the ip and ip6 tables of one name as one inet table's chains, each rule once or for its family.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/nft/nft_backend.hpp"
#include "ir/inet_table.hpp"

namespace ipt2nft::nft {

// Why the two tables of one name stay apart, if they must: a statement nft has no inet form of,
// or a set name both use (an inet set's key is of one family).
std::optional<std::string> inet_obstacle(const Table& v4, const Table& v6);

// Each ip table with an ip6 table of its name and nothing that keeps them apart (inet_obstacle),
// merged: the chains in the ip table's order, then the ip6 table's own. In each, a rule both
// families have written alike (the same script text) and that keeps no state (a rate or count
// would then take both families' packets) is written once, found as the longest common run of
// such rules; every other rule for its family, in an order that keeps each family's.
std::vector<InetTable> inet_tables(const Ruleset& ruleset, const ScriptOptions& options);

}  // namespace ipt2nft::nft
