// NETMAP's way: which address of the packet its prefix NAT maps, found from the hooks that reach its chain.
#pragma once
#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

// xt_NETMAP maps the destination in PREROUTING and OUTPUT and the source in POSTROUTING and
// INPUT, by the hook the packet is in; an nft rule's NAT says which (`dnat` or `snat prefix to`).
// Each NETMAP rule's NAT becomes the one its chain's hooks ask for; a chain reached from hooks
// of both ways is an error (nft would need a rule per way). Run before the checks.
void resolve_netmap(Ruleset& ruleset, Diagnostics& diags);

}  // namespace ipt2nft
