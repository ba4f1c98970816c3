// An ipset as the kernel's named set of a table: its key layout, flags and elements.
#pragma once
#include "backends/vm/expressions.hpp"
#include "ir/ipset.hpp"

namespace ipt2nft::vm {

// With `counters`, a set whose elements count (ipset's `counters`) keeps a counter per element,
// from the counts its save file gives.
NamedSet lower_ipset(const DeclaredIpset& declared, Family family, bool counters);

}  // namespace ipt2nft::vm
