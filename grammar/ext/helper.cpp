// helper match: refused, since it tests the helper of a connection's master, which nft cannot read.
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_helper(const ExtensionUse& use, LowerContext& ctx) {
    // xt_helper reads ct->master's helper (an FTP data connection matches `--helper ftp`);
    // `ct helper` is the connection's own, which the expected data connection does not have.
    ctx.untranslatable(use,
                       "xt_helper tests the helper of the connection that expected this one (the FTP control "
                       "connection of an FTP data connection); nft's `ct helper` tests the connection's own "
                       "helper, so it would match the control connection instead");
}

}  // namespace

extern const Extension helper_match{"helper", {{"helper", 1, true}}, lower_helper, {.needs_one_of = {"helper"}}};

}  // namespace ipt2nft::grammar
