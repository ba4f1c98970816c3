// Lowers an IR rule to the kernel's expression programs: the layer netlink, the simulator and
// the linter read, holding no libnftnl.
#pragma once
#include <vector>

#include "backends/vm/expressions.hpp"
#include "ir/rule.hpp"

namespace ipt2nft::vm {

// The programs of the kernel rules `rule` is, in order: one, or two for a conntrack match that
// lets packets without a connection through (Rule::connectionless_states). With `counters`,
// each counts its packets (from the saved counts, for the first). Untranslatable rules are none.
std::vector<Program> lower_rule(const Rule& rule, Family family, bool counters);

}  // namespace ipt2nft::vm
