// The meters of hashlimit matches: the masks of their keys, and the rules that share one.
#pragma once
#include <optional>
#include <vector>

#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

// The mask a meter's key applies to one of its fields (a masked address), if any.
std::optional<Address> meter_part_mask(const Meter& meter, const ConcatPart& part);

// The key as one selector: its field, or their concatenation.
Selector meter_key_selector(const Meter& meter);

// The set of each meter of the table, as its first rule has it, in the order of first use: a
// shared one's once, each rule's own.
struct MeterSet {
    const Meter* meter;
    Span first_use;
};
std::vector<MeterSet> meter_sets(const Table& table);

// xt_hashlimit's tables are the network namespace's, by name and family: every rule that names
// one shares its buckets, and the first rule's mode, rate, burst and expiry are the table's
// (htable_find_get). In nft the rules of one table share a declared set (Meter::shared), each
// given the first rule's settings (a warning where its own differ); a name used in two tables,
// or by rules that disagree on --hashlimit-above or -upto (a set element keeps the way of the
// rule that made it), or taken by a recent list or ipset of the table, is an error.
void resolve_meters(Ruleset& ruleset, Diagnostics& diags);

}  // namespace ipt2nft
