// An ipset command replayed on the sets of the ruleset, as ipset would change them.
#pragma once
#include "ir/diagnostics.hpp"
#include "ir/ipset.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

// Creates, adds to, flushes or destroys sets, or reports why ipset would fail.
void apply_ipset(Ruleset& ruleset, IpsetChange& change, Diagnostics& diags);

}  // namespace ipt2nft
