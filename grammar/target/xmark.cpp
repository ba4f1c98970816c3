// The mark operation of xt_MARK, xt_CONNMARK and xt_TPROXY, as nft's bitwise expression.
#include "grammar/target/xmark.hpp"

namespace ipt2nft::grammar {

FieldExpression xmark_expression(XMark x, Selector source) {
    FieldExpression e;
    if (x.mask == UINT32_MAX) {
        e.constant = x.value;
        return e;
    }
    e.source = source;
    if (x.value == 0) {
        e.and_mask = static_cast<uint32_t>(~x.mask);
    } else if (x.mask == x.value) {
        e.or_value = x.value;
    } else if (x.mask == 0) {
        e.xor_value = x.value;
    } else {
        e.and_mask = static_cast<uint32_t>(~x.mask);
        e.xor_value = x.value;
    }
    return e;
}

}  // namespace ipt2nft::grammar
