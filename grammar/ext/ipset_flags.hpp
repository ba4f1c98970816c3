// xt_set's flags (`src,dst`): shared by the set match and the SET target.
#pragma once
#include <optional>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

// `src[,dst]...`: at most six, each src or dst; reported and nothing when not.
std::optional<IpsetFlags> ipset_flags(const Word& w, Diagnostics& diags);

}  // namespace ipt2nft::grammar
