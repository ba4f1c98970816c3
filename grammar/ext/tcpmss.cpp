// tcpmss: the value of a TCP packet's MSS option, as nft's `tcp option maxseg size`.
#include "grammar/ext/needs_protocol.hpp"

namespace ipt2nft::grammar {

namespace {

// xt_tcpmss matches a packet without the option when negated, and nft's load of a missing option
// stops the rule whichever way it then compares: `!` has no one-rule translation.
void lower_tcpmss(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 6, "tcp")) return;
    const OptionUse* o = use.find("mss");
    if (!o) return;
    auto range = ctx.values.number_range(o->args[0], UINT16_MAX, "MSS");
    if (!range) return;
    if (o->inverted)
        return ctx.untranslatable(use,
                                  "! --mss also matches packets without an MSS option (every one but a "
                                  "handshake's), where nft's `tcp option maxseg size !=` stops the rule: write "
                                  "the ranges the rule means without '!', or keep it in iptables");
    ctx.match(Compare{TcpMssSelector{}, Op::eq, number_or_range(range->first, range->second), {}}, o->span);
}

}  // namespace

extern const Extension tcpmss_match{"tcpmss", {{"mss", 1, true}}, lower_tcpmss, {.needs_one_of = {"mss"}}};

}  // namespace ipt2nft::grammar
