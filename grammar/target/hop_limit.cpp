// TTL and HL targets: the IPv4 TTL or IPv6 hop limit set to a value; nft 1.0.6 cannot add to it.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

// `set` is the target's --ttl-set or --hl-set, `what` the field as messages name it.
void lower_hop_limit(const ExtensionUse& use, LowerContext& ctx, std::string_view set, std::string_view what,
                     PayloadField field) {
    if (const OptionUse* o = use.find(set)) {
        auto v = ctx.values.number(o->args[0], 0, 255, what);
        if (!v) return;
        FieldExpression e;
        e.constant = static_cast<uint32_t>(*v);
        ctx.action(SetField{PayloadSelector{field}, e}, use.span);
        return;
    }
    // --ttl-inc / --ttl-dec: nft sets a header field to a constant or a copy, not a sum.
    ctx.untranslatable(use,
                       fmt::format("nft 1.0.6 can set the {} to a value but cannot add to or subtract from it", what));
}

void lower_ttl(const ExtensionUse& use, LowerContext& ctx) {
    lower_hop_limit(use, ctx, "ttl-set", "TTL", PayloadField::ip_ttl);
}
void lower_hl(const ExtensionUse& use, LowerContext& ctx) {
    lower_hop_limit(use, ctx, "hl-set", "hop limit", PayloadField::ip6_hoplimit);
}

}  // namespace

extern const Extension ttl_target{"TTL",
                                  {{"ttl-set", 1, false}, {"ttl-dec", 1, false}, {"ttl-inc", 1, false}},
                                  lower_ttl,
                                  {.exactly_one_of = {"ttl-set", "ttl-dec", "ttl-inc"}},
                                  Family::ipv4};
extern const Extension hl_target{"HL",
                                 {{"hl-set", 1, false}, {"hl-dec", 1, false}, {"hl-inc", 1, false}},
                                 lower_hl,
                                 {.exactly_one_of = {"hl-set", "hl-dec", "hl-inc"}},
                                 Family::ipv6};

}  // namespace ipt2nft::grammar
