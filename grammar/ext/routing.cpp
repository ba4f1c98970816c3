// Matches on the routing decision: realm (the route's classid) and policy (the IPsec path).
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

// xt_realm's (classid & mask) == value.
void lower_realm(const ExtensionUse& use, LowerContext& ctx) {
    ctx.match_masked(MetaSelector{MetaKey::rtclassid}, *use.find("realm"), HookLimit::routed);
}

// Only whether a packet came through IPsec, which nft's `meta secpath` says, or leaves through it
// (its route's xfrm bundle, nft's `rt ipsec`); the policy's elements (--proto, --spi, --mode,
// --tunnel-*, --strict, --next) are not translated.
void lower_policy(const ExtensionUse& use, LowerContext& ctx) {
    for (const auto& o : use.options) {
        std::string_view name = o.def->canonical();
        if (name != "dir" && name != "pol") {
            ctx.untranslatable(use, fmt::format("ipt2nft translates -m policy --dir in|out --pol ipsec|none (nft's "
                                                "`meta secpath`, `rt ipsec`), not the policy's elements such as --{}",
                                                name));
            return;
        }
    }
    const Word& dir = use.find("dir")->args[0];
    const OptionUse* pol = use.find("pol");
    bool in = dir.text == "in";
    if (!in && dir.text != "out")
        ctx.diags.error(dir.span, fmt::format("unknown --dir '{}' (in, out)", dir.text), "bad-value");
    bool ipsec = !pol || pol->args[0].text == "ipsec";
    if (!ipsec && pol->args[0].text != "none")
        ctx.diags.error(pol->args[0].span, fmt::format("unknown --pol '{}' (ipsec, none)", pol->args[0].text),
                        "bad-value");
    if (in)
        ctx.match(Compare{MetaSelector{MetaKey::secpath}, Op::eq, uint64_t{ipsec}, {}}, use.span, HookLimit::policy_in);
    else
        ctx.match(Compare{RouteIpsecSelector{}, Op::eq, uint64_t{ipsec}, {}}, use.span, HookLimit::policy_out);
}

}  // namespace

extern const Extension realm_match{
    "realm", {{"realm", 1, true}}, lower_realm, {.needs_one_of = {"realm"}}, Family::ipv4};
// Without --pol a policy is ipsec (iptables-save writes it so).
extern const Extension policy_match{"policy",
                                    {{"dir", 1, false},
                                     {"pol", 1, false},
                                     {"strict", 0, false},
                                     {"reqid", 1, true},
                                     {"spi", 1, true},
                                     {"proto", 1, true},
                                     {"mode", 1, true},
                                     {"tunnel-src", 1, true},
                                     {"tunnel-dst", 1, true},
                                     {"next", 0, false}},
                                    lower_policy,
                                    {.needs_one_of = {"dir"}}};

}  // namespace ipt2nft::grammar
