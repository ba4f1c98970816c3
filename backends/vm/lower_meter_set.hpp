// A hashlimit's meter as the kernel's named set of a table: its key's layout, timeout and size.
#pragma once
#include "backends/vm/expressions.hpp"
#include "ir/condition.hpp"

namespace ipt2nft::vm {

// An empty dynamic set with timeouts: a shared meter's gives its elements their timeout (a rule's
// own meter gives it in its update), and the most elements it holds where it was given.
NamedSet lower_meter_set(const Meter& meter, Family family);

}  // namespace ipt2nft::vm
