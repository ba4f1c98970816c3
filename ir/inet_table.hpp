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

// Where a rule of a family's table goes: that table, or an inet table (--inet) for both families'
// packets or behind a test of its own family's (`meta nfproto`).
enum class InetPlace : uint8_t { none, both_families, own_family };

// A rule of the inet chain: the ip table's (where both families have it alike) or its family's;
// `only` the family it is for (none: both), which it then tests first (`meta nfproto`).
struct InetRule {
    const Rule* rule;
    std::optional<Family> only;
    std::string text;  // its nft script text, by which the two families' rules were found alike

    Family family() const { return only.value_or(Family::ipv4); }  // of the table it comes from
    InetPlace place() const { return only ? InetPlace::own_family : InetPlace::both_families; }
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

// The ruleset's tables in order, as a backend writes them: `apart(table)` for each table no inet
// table of `merged` holds, `inet(merged table)` where the first of its two stands.
template <typename Apart, typename Inet>
void for_each_table(const Ruleset& ruleset, const std::vector<InetTable>& merged, Apart&& apart, Inet&& inet) {
    for (const auto& t : ruleset.tables) {
        auto holds =
            std::find_if(merged.begin(), merged.end(), [&](const InetTable& m) { return m.v4 == &t || m.v6 == &t; });
        if (holds == merged.end())
            apart(t);
        else if (&t == std::min(holds->v4, holds->v6, std::less<const Table*>()))
            inet(*holds);
    }
}

}  // namespace ipt2nft
