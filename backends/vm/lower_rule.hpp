// Lowers an IR rule to the kernel's expression program: the layer netlink, the simulator and the
// linter read, holding no libnftnl.
#pragma once
#include "backends/vm/expressions.hpp"
#include "ir/rule.hpp"

namespace ipt2nft::vm {

// The program of one kernel rule (split_rule_pairs has run), a translatable one. With
// `counters`, it counts its packets, from its saved counts.
Program lower_rule(const Rule& rule, Family family, bool counters);

}  // namespace ipt2nft::vm
