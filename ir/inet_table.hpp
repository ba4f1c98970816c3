// --inet: an ip and an ip6 table of one name as one inet table, chain by chain, each rule once or for its family.
#pragma once
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/ruleset.hpp"

namespace ipt2nft {

// A rule of the inet chain: the ip table's (where both families have it alike) or its family's;
// `only` the family it is for (none: both), which it then tests first (`meta nfproto`).
struct InetRule {
    const Rule* rule;
    std::optional<Family> only;
    std::string text;  // its nft script text, by which the two families' rules were found alike
};

// A chain of the inet table: both families' chains of its name. A built-in chain whose families'
// policies differ accepts, and ends by dropping the packets of `dropped` (the family whose policy
// drops; a family without the chain accepts).
struct InetChain {
    std::string_view name;
    Span declared;  // the first family's declaration of it
    bool builtin = false;
    VerdictKind policy = VerdictKind::accept;
    std::optional<Family> dropped;
    std::vector<InetRule> rules;
};

struct InetTable {
    const Table* v4;
    const Table* v6;
    std::vector<InetChain> chains;  // the ip table's in its order, then the ip6 table's own
};

// The inet table `t` is one of the two of, if any.
inline const InetTable* inet_table_of(const std::vector<InetTable>& merged, const Table& t) {
    for (const InetTable& m : merged)
        if (m.v4 == &t || m.v6 == &t) return &m;
    return nullptr;
}

// Whether `t` is the first of the inet table's two in the ruleset: the merged table stands there.
inline bool stands_at(const InetTable& merged, const Table& t) {
    return &t == std::min(merged.v4, merged.v6, std::less<const Table*>());
}

}  // namespace ipt2nft
