// The mark operation of xt_MARK, xt_CONNMARK and xt_TPROXY: (field & ~mask) ^ value.
#pragma once
#include <cstdint>

#include "ir/statement.hpp"

namespace ipt2nft::grammar {

struct XMark {
    uint32_t value;
    uint32_t mask;  // bits cleared before the xor
};

// As nft's bitwise expression on `source`: a constant when every bit is set, else the fewest
// operations that say it.
FieldExpression xmark_expression(XMark x, Selector source);

}  // namespace ipt2nft::grammar
