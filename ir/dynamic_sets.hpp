// The named dynamic sets a table's rules keep (recent lists, connlimit counts), as the backends declare them.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"
#include "util/text_store.hpp"

namespace ipt2nft {

struct DynamicSet {
    std::string_view name;
    Datatype key;                     // ipv4_address or ipv6_address
    std::optional<uint32_t> timeout;  // seconds an element lasts after it was last added
    Span first_use;                   // the recent match of its first rule
    bool added_to = false;            // by a rule (a set only looked up stays empty)
};

// How many elements a set rules add to holds: nft's default for one, which the kernel then
// refuses to grow (xt_recent's lists hold 200 by default, and forget the oldest instead); apply
// gives it where nft does (a set a rule adds to), the script and JSON leave it to nft.
inline constexpr uint32_t dynamic_set_size = 65535;

// Each set the table's rules name, once, in the order of their first use.
std::vector<DynamicSet> dynamic_sets(const Table& table);

// One recent list is one set, so its rules must agree on what nft keeps per set: the timeout
// (the --seconds of its lookups; a lookup without it would need addresses kept for ever) and
// its table (xt_recent's lists are shared by every iptables table of a network namespace). Gives
// the list's timeout to the rules that add to it, and reports the rules that disagree. Names
// the set of each connection count (connlimitN, kept in `store`).
void resolve_dynamic_sets(Ruleset& ruleset, TextStore& store, Diagnostics& diags);

}  // namespace ipt2nft
