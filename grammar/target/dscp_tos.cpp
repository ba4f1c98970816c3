// DSCP and TOS targets: the DSCP bits of the header, and TOS written as DSCP where it can be.
#include <fmt/format.h>

#include "grammar/ext/dscp_classes.hpp"
#include "grammar/ext/tos_values.hpp"
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

PayloadSelector dscp_field(const LowerContext& ctx) {
    return {ctx.family == Family::ipv4 ? PayloadField::ip_dscp : PayloadField::ip6_dscp};
}

void lower_dscp(const ExtensionUse& use, LowerContext& ctx) {
    std::optional<uint64_t> v;
    if (const OptionUse* o = use.find("set-dscp")) {
        v = ctx.values.number(o->args[0], 0, 63, "DSCP");
    } else {
        v = dscp_class(use.find("set-dscp-class")->args[0], ctx.diags);  // one of the two: the option rules
    }
    if (!v) return;
    FieldExpression e;
    e.constant = *v;
    ctx.action(SetField{dscp_field(ctx), e}, use.span);
}

void lower_tos(const ExtensionUse& use, LowerContext& ctx) {
    // Each form is tos = (tos & ~mask) ^ value over the whole byte (DSCP and ECN bits).
    std::optional<std::pair<uint32_t, uint32_t>> x;
    for (const auto& o : use.options) {
        std::string_view n = o.def->name;
        const Word& w = o.args[0];
        if (n == "set-tos") {
            auto v = tos_value(w, ctx);
            if (!v) return;
            x = std::pair<uint32_t, uint32_t>{v->value, v->mask};
        } else {
            auto v = ctx.values.number(w, 0, 255, "TOS");
            if (!v) return;
            uint32_t b = static_cast<uint32_t>(*v);
            if (n == "and-tos")
                x = std::pair<uint32_t, uint32_t>{0, ~b & 0xff};
            else if (n == "or-tos")
                x = std::pair<uint32_t, uint32_t>{b, b};
            else
                x = std::pair<uint32_t, uint32_t>{b, 0};
        }
    }
    auto [value, mask] = *x;  // exactly one form is given: the target's option rules
    // The TOS byte is nft's dscp field (six bits) and ecn field (two bits). nft 1.0.6 can set
    // either to a constant but not compute it from its old value, so a field the mask covers
    // in part cannot be written.
    uint32_t dmask = (mask >> 2) & 0x3f, dvalue = (value >> 2) & 0x3f;
    uint32_t emask = mask & 0x03, evalue = value & 0x03;
    bool dscp_partial = dmask != 0x3f && (dmask != 0 || dvalue != 0);
    bool ecn_partial = emask != 0x03 && (emask != 0 || evalue != 0);
    if (dscp_partial || ecn_partial) {
        ctx.untranslatable(use,
                           fmt::format("this TOS change keeps some {} bits and changes others; nft can only set the "
                                       "whole field to a constant",
                                       dscp_partial ? "DSCP" : "ECN"));
        return;
    }
    FieldExpression e;
    if (dmask == 0x3f) {
        e.constant = dvalue;
        ctx.action(SetField{dscp_field(ctx), e}, use.span);
    }
    if (emask == 0x03) {
        e.constant = evalue;
        ctx.action(
            SetField{PayloadSelector{ctx.family == Family::ipv4 ? PayloadField::ip_ecn : PayloadField::ip6_ecn}, e},
            use.span);
    }
}

}  // namespace

extern const Extension dscp_target{"DSCP",
                                   {{"set-dscp", 1, false}, {"set-dscp-class", 1, false}},
                                   lower_dscp,
                                   {.exactly_one_of = {"set-dscp", "set-dscp-class"}}};
extern const Extension tos_target{
    "TOS",
    {{"set-tos", 1, false}, {"and-tos", 1, false}, {"or-tos", 1, false}, {"xor-tos", 1, false}},
    lower_tos,
    {.exactly_one_of = {"set-tos", "and-tos", "or-tos", "xor-tos"}}};

}  // namespace ipt2nft::grammar
