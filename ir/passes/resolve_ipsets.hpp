// The ipsets rules use: each rule's key by its set's type, each table's declarations, what nft cannot hold.
#pragma once
#include <string_view>
#include <unordered_map>

#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"
#include "util/text_store.hpp"

namespace ipt2nft {

// Gives each set match and SET target the key of its set's type, declares each set in the tables
// whose rules use it, and reports uses xt_set would not make (a set missing, of the other family,
// with fewer flags than dimensions) and sets nft cannot hold as xt_set uses them.
// Gives the sets named in `renames` (and the rules that name them) their new names.
void rename_ipsets(Ruleset& ruleset, const std::unordered_map<std::string_view, std::string_view>& renames);

// Renames an ipset whose name a recent list of a table that uses it has (names kept in `store`).
void resolve_ipsets(Ruleset& ruleset, TextStore& store, Diagnostics& diags);

}  // namespace ipt2nft
