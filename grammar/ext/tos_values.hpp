// TOS values as libxt_tos and libxt_TOS read them: a name, or a number with a mask.
#pragma once
#include <cstdint>
#include <optional>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

struct TosValue {
    uint32_t value, mask;
};

// `Minimize-Delay` and the other names (in any case) stand for their value with the mask 0x3f;
// a number is taken with its `/mask`, or 0xff without one (seen in iptables-nft-save). An
// unknown name or a value past a byte is an error at the word.
std::optional<TosValue> tos_value(const Word& w, LowerContext& ctx);

}  // namespace ipt2nft::grammar
