// Address lists: the kernel rules of one `-s a,b` command merged back into one rule with sets.
#pragma once
#include "ir/ruleset.hpp"

namespace ipt2nft {

// iptables adds one kernel rule per source and destination address of a list; the replay keeps
// them so (for -I positions, -D of one address, rule numbers). Where they still stand side by side
// and one rule with address sets means the same to every packet, they become that one rule.
void merge_address_lists(Ruleset& ruleset);

}  // namespace ipt2nft
