// --inet's plan: the ip and ip6 tables of one name as one inet table's chains, each rule once or for its family.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/nft/nft_backend.hpp"

namespace ipt2nft::nft {

// Why the two tables of one name stay apart, if they must: a statement nft has no inet form of,
// or a set name both use (an inet set's key is of one family).
std::optional<std::string> inet_obstacle(const Table& v4, const Table& v6);

// A rule of the inet chain: the ip table's (where both families have it alike) or its family's,
// with its script text; `only` the family it is for (none: both).
struct InetRule {
    const Rule* rule;
    std::optional<Family> only;
    std::string text;
};

// A chain of the inet table: both families' chains of its name. A built-in chain whose families'
// policies differ accepts, and ends by dropping the packets of `dropped` (the family whose policy
// drops; a family without the chain accepts).
struct InetChain {
    std::string_view name;
    bool builtin = false;
    VerdictKind policy = VerdictKind::accept;
    std::optional<Family> dropped;
    std::vector<InetRule> rules;
};

// The chains in the ip table's order, then the ip6 table's own. In each, a rule both families
// have written alike (the same script text) and that keeps no state (a rate or count would then
// take both families' packets) is written once, found as the longest common run of such rules;
// every other rule for its family, in an order that keeps each family's.
std::vector<InetChain> inet_chains(const Table& v4, const Table& v6, const ScriptOptions& options);

}  // namespace ipt2nft::nft
