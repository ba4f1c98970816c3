// The kernel refuses a protocol match, and some targets, unless -p names their protocol, not negated.
#pragma once
#include <initializer_list>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

bool require_protocol(const ExtensionUse& use, LowerContext& ctx, uint8_t protocol, std::string_view name);
// A target's: -p is one of `protocols` (tcp, udp), wherever it stands in the rule.
bool target_requires_protocol(const ExtensionUse& use, LowerContext& ctx, std::initializer_list<uint8_t> protocols);

}  // namespace ipt2nft::grammar
