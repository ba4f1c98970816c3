// TEE target: a copy of the packet sent to a gateway, as nft's dup statement does.
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_tee(const ExtensionUse& use, LowerContext& ctx) {
    if (use.find("oif")) {
        // xt_TEE follows the interface by name (a netdevice notifier), so the rule loads before
        // the interface exists and keeps working when it is made again; nft's `device` is the
        // interface's index, looked up once when the rule is loaded.
        ctx.untranslatable(use,
                           "xt_TEE finds --oif's interface by name whenever it appears, nft's dup by the index "
                           "it had when the rule was loaded (and refuses the rule without it): --oif has no "
                           "faithful translation; where the interface is permanent, write `dup to ADDRESS device "
                           "NAME` in nft");
        return;
    }
    const OptionUse* gateway = use.find("gateway");
    const Word& w = gateway->args[0];
    auto address = ctx.values.address(w.text, w.span, ctx.family, ValueReader::AddressSyntax::resolver);
    if (!address) return;
    ctx.action(Dup{*address}, use.span);
}

}  // namespace

extern const Extension tee_target{
    "TEE", {{"gateway", 1, false}, {"oif", 1, false}}, lower_tee, {.needs_one_of = {"gateway"}}};

}  // namespace ipt2nft::grammar
