// mark and connmark matches: (mark & mask) == value.
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_mark_option(const ExtensionUse& use, LowerContext& ctx, Selector selector) {
    if (const OptionUse* o = use.find("mark")) ctx.match_masked(selector, *o);
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
