// The kernel refuses a protocol match unless -p names that protocol, not negated.
#pragma once
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

bool require_protocol(const ExtensionUse& use, LowerContext& ctx, uint8_t protocol, std::string_view name);

}  // namespace ipt2nft::grammar
