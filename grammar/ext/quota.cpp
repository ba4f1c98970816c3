// quota match: the rule's packets match until their bytes pass --quota.
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_quota(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("quota");
    // nft_quota takes at most INT64_MAX bytes.
    auto bytes = ctx.values.number(o->args[0], 0, INT64_MAX, "quota in bytes");
    if (!bytes) return;
    ctx.stateful(Quota{*bytes, o->inverted}, o->span);
}

}  // namespace

extern const Extension quota_match{"quota", {{"quota", 1, true}}, lower_quota, {.needs_one_of = {"quota"}}};

}  // namespace ipt2nft::grammar
