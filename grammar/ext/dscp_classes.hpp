// DSCP class names (CS0-CS7, AFxy, EF, BE), as the dscp match and the DSCP target read them.
#pragma once
#include <cstdint>
#include <optional>

#include "grammar/word.hpp"
#include "ir/diagnostics.hpp"

namespace ipt2nft::grammar {

// The code point of the class named by `w`, or an error reported at it. iptables compares only
// as many characters as a name has (seen: `AF41x` is AF41; no name begins another): warned.
std::optional<uint8_t> dscp_class(const Word& w, Diagnostics& diags);

}  // namespace ipt2nft::grammar
