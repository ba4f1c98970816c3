// ecn and dscp matches: the two fields of the IPv4 TOS byte / IPv6 traffic class, and TCP's ECN flags.
#include "grammar/ext/dscp_classes.hpp"
#include "grammar/ext/needs_protocol.hpp"

namespace ipt2nft::grammar {

namespace {

constexpr uint64_t tcp_ece = 0x40, tcp_cwr = 0x80;

void lower_ecn(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* ece = use.find("ecn-tcp-ece");
    const OptionUse* cwr = use.find("ecn-tcp-cwr");
    if ((ece || cwr) && !require_protocol(use, ctx, 6, "tcp")) return;
    // xt_ecn tests one flag bit; `tcp flags != ecn` would compare the whole byte.
    for (auto [o, bit] : {std::pair{ece, tcp_ece}, std::pair{cwr, tcp_cwr}})
        if (o)
            ctx.match(
                Compare{PayloadSelector{PayloadField::tcp_flags}, o->inverted ? Op::no_flag : Op::any_flag, bit, {}},
                o->span);
    if (const OptionUse* o = use.find("ecn-ip-ect")) {
        auto v = ctx.values.number(o->args[0], 0, 3, "ECN codepoint");
        if (!v) return;
        PayloadField field = ctx.family == Family::ipv4 ? PayloadField::ip_ecn : PayloadField::ip6_ecn;
        ctx.match(Compare{PayloadSelector{field}, o->inverted ? Op::neq : Op::eq, *v, {}}, o->span);
    }
}

void lower_dscp(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("dscp");
    std::optional<uint64_t> v;
    if (o) {
        v = ctx.values.number(o->args[0], 0, 63, "DSCP");
    } else {
        o = use.find("dscp-class");  // one of the two: the match's option rules
        v = dscp_class(o->args[0], ctx.diags);
    }
    if (!v) return;
    PayloadField field = ctx.family == Family::ipv4 ? PayloadField::ip_dscp : PayloadField::ip6_dscp;
    ctx.match(Compare{PayloadSelector{field}, o->inverted ? Op::neq : Op::eq, *v, {}}, o->span);
}

}  // namespace

extern const Extension ecn_match{"ecn",
                                 {{"ecn-tcp-cwr", 0, true}, {"ecn-tcp-ece", 0, true}, {"ecn-ip-ect", 1, true}},
                                 lower_ecn,
                                 {.needs_an_option = true}};
extern const Extension dscp_match{
    "dscp", {{"dscp", 1, true}, {"dscp-class", 1, true}}, lower_dscp, {.exactly_one_of = {"dscp", "dscp-class"}}};

}  // namespace ipt2nft::grammar
