// The ipsets rules use: each rule's key by its set's type, each table's declarations, what nft cannot hold.
#pragma once
#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

// Gives each set match and SET target the key of its set's type, declares each set in the tables
// whose rules use it, and reports uses xt_set would not make (a set missing, of the other family,
// with fewer flags than dimensions) and sets nft cannot hold as xt_set uses them.
void resolve_ipsets(Ruleset& ruleset, Diagnostics& diags);

}  // namespace ipt2nft
