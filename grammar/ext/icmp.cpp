// icmp and icmp6 matches: --icmp-type / --icmpv6-type as name, number or type/code.
#include <fmt/format.h>

#include "grammar/ext/icmp_types.hpp"
#include "grammar/ext/needs_protocol.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_icmp_type(const ExtensionUse& use, LowerContext& ctx, bool v6) {
    const char* proto = v6 ? "icmpv6" : "icmp";
    const PayloadSelector type_field{icmp_fields(v6).type}, code_field{icmp_fields(v6).code};
    if (!require_protocol(use, ctx, v6 ? 58 : 1, v6 ? "icmpv6" : "icmp")) return;
    const OptionUse* o = use.find(v6 ? "icmpv6-type" : "icmp-type");
    if (!o) return;
    const Word& w = o->args[0];
    std::optional<uint8_t> type, code;
    IcmpLookup name = find_icmp_name(w.text, v6);
    if (name.other) {
        ctx.diags.error(
            w.span, fmt::format("ambiguous {} type '{}': {} or {}?", proto, w.text, name.match->name, name.other->name),
            "bad-icmp-type");
        return;
    }
    if (name.match && name.match->any) {
        // Every type, but still only a first fragment carrying an ICMP header, as the match needs.
        ctx.match(Compare{type_field, o->inverted ? Op::neq : Op::eq, make_range(uint64_t{0}, uint64_t{255}), {}},
                  o->span);
        return;
    }
    if (name.match) {
        type = name.match->type;
        code = name.match->code;
    } else {
        auto slash = w.text.find('/');
        auto t = parse_unsigned(std::string_view(w.text).substr(0, slash));
        std::optional<uint64_t> c;
        if (slash != std::string::npos) c = parse_unsigned(std::string_view(w.text).substr(slash + 1));
        if (!t || *t > 255 || (slash != std::string::npos && (!c || *c > 255))) {
            ctx.diags.error(w.span,
                            fmt::format("unknown {} type '{}'{}", proto, w.text, did_you_mean(w.text, icmp_names(v6))),
                            "bad-icmp-type");
            return;
        }
        warn_if_octal(ctx.diags, w.text, w.span, "/");
        type = static_cast<uint8_t>(*t);
        if (c) code = static_cast<uint8_t>(*c);
    }
    if (!code) {
        ctx.match(Compare{type_field, o->inverted ? Op::neq : Op::eq, uint64_t{*type}, {}}, o->span);
    } else if (!o->inverted) {
        ctx.match(Compare{type_field, Op::eq, uint64_t{*type}, {}}, o->span);
        ctx.match(Compare{code_field, Op::eq, uint64_t{*code}, {}}, o->span);
    } else {
        // "not this type and code" is one test on both fields together.
        ValueSet set{{Value(Concat{{Value(uint64_t{*type}), Value(uint64_t{*code})}})}};
        ctx.match(Compare{ConcatSelector{{type_field, code_field}}, Op::neq, set, {}}, o->span);
    }
}

void lower_icmp(const ExtensionUse& use, LowerContext& ctx) {
    lower_icmp_type(use, ctx, false);
}
void lower_icmp6(const ExtensionUse& use, LowerContext& ctx) {
    lower_icmp_type(use, ctx, true);
}

}  // namespace

extern const Extension icmp_match{
    "icmp", {{"icmp-type", 1, true}}, lower_icmp, {.needs_one_of = {"icmp-type"}}, Family::ipv4};
extern const Extension icmp6_match{
    "icmp6", {{"icmpv6-type", 1, true}}, lower_icmp6, {.needs_one_of = {"icmpv6-type"}}, Family::ipv6};

}  // namespace ipt2nft::grammar
