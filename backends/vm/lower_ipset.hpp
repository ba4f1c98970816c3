// An ipset as the kernel's named set of a table: its key layout, flags and elements.
#pragma once
#include "backends/vm/expressions.hpp"
#include "ir/ipset.hpp"

namespace ipt2nft::vm {

NamedSet lower_ipset(const DeclaredIpset& declared, Family family);

}  // namespace ipt2nft::vm
