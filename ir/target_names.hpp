// The names of every target iptables knows, translated or not: a jump to a chain of such a name
// is likelier a target misspelt or misplaced, which messages say.
#pragma once
#include <string_view>
#include <vector>

namespace ipt2nft {

// ACCEPT, DROP, RETURN, QUEUE, then the target extensions.
const std::vector<std::string_view>& iptables_target_names();

}  // namespace ipt2nft
