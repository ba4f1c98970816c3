// Lowers an IR rule to the kernel's expression program: the layer netlink, the simulator and the
// linter read, holding no libnftnl.
#pragma once
#include "backends/vm/expressions.hpp"
#include "ir/inet_table.hpp"
#include "ir/rule.hpp"

namespace ipt2nft::vm {

// The program of one kernel rule (split_rule_pairs has run), a translatable one. With
// `counters`, it counts its packets, from its saved counts.
Program lower_rule(const Rule& rule, Family family, bool counters, InetPlace place = InetPlace::none);

// The rule that ends an inet chain whose families' policies differ: `family`'s packets dropped,
// uncounted (the policy it stands for counts nothing).
Program inet_policy_drop(Family family);

}  // namespace ipt2nft::vm
