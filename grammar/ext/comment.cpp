// comment match: kept as the rule's nft comment.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {
void lower_comment(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("comment");
    if (!o) return;
    // The kernel's xt_comment keeps 255 bytes plus the terminating NUL.
    std::string_view text = ctx.kept_by_iptables(o->args[0], 255, "the comment");
    if (ctx.rule.origin.comment) {
        ctx.rule.origin.comment = ctx.store.keep(fmt::format("{}; {}", *ctx.rule.origin.comment, text));
        ctx.diags.warning(o->span, "several comments on one rule are joined with '; ' into nft's one comment",
                          "comment-joined");
    } else {
        ctx.rule.origin.comment = text;
        ctx.rule.origin.comment_span = o->span;
    }
}
}  // namespace

extern const Extension comment_match{"comment", {{"comment", 1, false}}, lower_comment, {.needs_one_of = {"comment"}}};

}  // namespace ipt2nft::grammar
