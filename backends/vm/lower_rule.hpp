// Lowers an IR rule to the kernel's expression program: the layer netlink, the simulator and the
// linter read, holding no libnftnl.
#pragma once
#include "backends/vm/expressions.hpp"
#include "ir/rule.hpp"

namespace ipt2nft::vm {

// Where a rule of `family`'s table goes: that table, or an inet table (--inet) for both families'
// packets or behind a test of its own family's (`meta nfproto`).
enum class InetPlace : uint8_t { none, both_families, own_family };

// The program of one kernel rule (split_rule_pairs has run), a translatable one. With
// `counters`, it counts its packets, from its saved counts.
Program lower_rule(const Rule& rule, Family family, bool counters, InetPlace place = InetPlace::none);

// The rule that ends an inet chain whose families' policies differ: `family`'s packets dropped,
// uncounted (the policy it stands for counts nothing).
Program inet_policy_drop(Family family);

}  // namespace ipt2nft::vm
