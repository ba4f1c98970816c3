// SYNPROXY target: SYN cookies answered by the host, with the options its SYN-ACK offers.
#include "grammar/ext/needs_protocol.hpp"
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_synproxy(const ExtensionUse& use, LowerContext& ctx) {
    if (!target_requires_protocol(use, ctx, {6})) return;
    if (use.find("ecn")) {
        ctx.untranslatable(use,
                           "nft's synproxy offers no ECN (the kernel's nft_synproxy refuses the flag): --ecn "
                           "has no nft translation; without it the SYN-ACK offers no ECN");
        return;
    }
    Synproxy p;
    if (const OptionUse* o = use.find("mss")) {
        auto mss = ctx.values.number(o->args[0], 0, UINT16_MAX, "MSS");
        if (!mss) return;
        p.mss = static_cast<uint16_t>(*mss);
    }
    if (const OptionUse* o = use.find("wscale")) {
        auto wscale = ctx.values.number(o->args[0], 0, UINT8_MAX, "window scale");
        if (!wscale) return;
        p.wscale = static_cast<uint8_t>(*wscale);
    }
    p.timestamp = use.find("timestamp") != nullptr;
    p.sack_perm = use.find("sack-perm") != nullptr;
    ctx.action(p, use.span);
}

}  // namespace

extern const Extension synproxy_target{
    "SYNPROXY",
    {{"mss", 1, false}, {"wscale", 1, false}, {"sack-perm", 0, false}, {"timestamp", 0, false}, {"ecn", 0, false}},
    lower_synproxy};

}  // namespace ipt2nft::grammar
