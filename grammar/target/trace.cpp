// TRACE target: the packet is traced (nftrace).
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_trace(const ExtensionUse& use, LowerContext& ctx) {
    ctx.action(SetField{MetaSelector{MetaKey::nftrace}, FieldExpression{1, {}, {}, {}, {}, 0, 0}}, use.span);
}

}  // namespace

extern const Extension trace_target{"TRACE", {}, lower_trace};

}  // namespace ipt2nft::grammar
