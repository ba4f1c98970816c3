// mark and connmark matches: (mark & mask) == value.
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_mark_option(const ExtensionUse& use, LowerContext& ctx, Selector selector) {
    const OptionUse* o = use.find("mark");
    if (!o) return;
    auto m = ctx.values.mark(o->args[0]);
    if (!m) return;
    if (m->second == UINT32_MAX)
        ctx.match(Compare{selector, o->inverted ? Op::neq : Op::eq, uint64_t{m->first}, {}}, o->span);
    else
        ctx.match(
            Compare{selector, o->inverted ? Op::masked_neq : Op::masked_eq, uint64_t{m->first}, uint64_t{m->second}},
            o->span);
}

void lower_mark(const ExtensionUse& use, LowerContext& ctx) {
    lower_mark_option(use, ctx, MetaSelector{MetaKey::mark});
}
void lower_connmark(const ExtensionUse& use, LowerContext& ctx) {
    lower_mark_option(use, ctx, CtSelector{CtKey::mark});
}

}  // namespace

extern const Extension mark_match{"mark", {{"mark", 1, true}}, lower_mark, {.needs_one_of = {"mark"}}};
extern const Extension connmark_match{"connmark", {{"mark", 1, true}}, lower_connmark, {.needs_one_of = {"mark"}}};

}  // namespace ipt2nft::grammar
