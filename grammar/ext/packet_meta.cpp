// Small matches on one packet property: mac, pkttype, length, ttl, hl (--ttl and --hl: old names of -eq).
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_mac(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("mac-source");
    if (!o) return;
    if (auto m = ctx.values.mac(o->args[0]))
        ctx.match(Compare{PayloadSelector{PayloadField::ether_saddr}, o->inverted ? Op::neq : Op::eq, *m, {}}, o->span,
                  HookLimit::received_frame);
}

void lower_pkttype(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("pkt-type");
    if (!o) return;
    std::string t = lower_case(o->args[0].text);
    // The kernel's PACKET_HOST (iptables' unicast), PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST.
    std::optional<uint64_t> type = t == "unicast" || t == "host" ? 0
                                   : t == "broadcast"            ? 1
                                   : t == "multicast"            ? 2
                                   : t == "otherhost"            ? std::optional<uint64_t>(3)
                                                                 : std::nullopt;
    if (!type) {
        ctx.diags.error(o->args[0].span,
                        fmt::format("unknown packet type '{}' (unicast, broadcast, multicast, otherhost)", t),
                        "bad-value");
        return;
    }
    ctx.match(Compare{MetaSelector{MetaKey::pkttype}, o->inverted ? Op::neq : Op::eq, *type, {}}, o->span);
}

void lower_length(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("length");
    if (!o) return;
    const Word& w = o->args[0];
    auto colon = w.text.find(':');
    std::string_view text = w.text;
    auto lo = colon == 0 ? std::optional<uint64_t>(0) : parse_unsigned(text.substr(0, colon));
    auto hi = colon == std::string::npos ? lo
              : colon + 1 == text.size() ? std::optional<uint64_t>(65535)
                                         : parse_unsigned(text.substr(colon + 1));
    if (!lo || !hi || *lo > 65535 || *hi > 65535 || *lo > *hi) {
        ctx.diags.error(w.span, fmt::format("'{}' is not a length or length range within 0-65535", w.text),
                        "bad-value");
        return;
    }
    warn_if_octal(ctx.diags, text, w.span, ":");
    Value v = number_or_range(*lo, *hi);
    ctx.match(Compare{MetaSelector{MetaKey::length}, o->inverted ? Op::neq : Op::eq, v, {}}, o->span);
}

void lower_hop_limit(const ExtensionUse& use, LowerContext& ctx, std::string_view prefix, PayloadField field) {
    // Exactly one of the three is given: the match's option rules.
    for (auto [suffix, op] : {std::pair{"eq", Op::eq}, std::pair{"gt", Op::gt}, std::pair{"lt", Op::lt}}) {
        const OptionUse* o = use.find(fmt::format("{}-{}", prefix, suffix));
        if (!o) continue;
        auto v = ctx.values.number(o->args[0], 0, 255, prefix);
        if (!v) return;
        ctx.match(Compare{PayloadSelector{field}, o->inverted ? Op::neq : op, *v, {}}, o->span);
    }
}

void lower_ttl(const ExtensionUse& use, LowerContext& ctx) {
    lower_hop_limit(use, ctx, "ttl", PayloadField::ip_ttl);
}
void lower_hl(const ExtensionUse& use, LowerContext& ctx) {
    lower_hop_limit(use, ctx, "hl", PayloadField::ip6_hoplimit);
}

}  // namespace

extern const Extension mac_match{"mac", {{"mac-source", 1, true}}, lower_mac, {.needs_one_of = {"mac-source"}}};
extern const Extension pkttype_match{"pkttype", {{"pkt-type", 1, true}}, lower_pkttype, {.needs_one_of = {"pkt-type"}}};
extern const Extension length_match{"length", {{"length", 1, true}}, lower_length, {.needs_one_of = {"length"}}};
extern const Extension ttl_match{
    "ttl",
    {{"ttl-eq", 1, true}, {"ttl", 1, true, "ttl-eq"}, {"ttl-gt", 1, false}, {"ttl-lt", 1, false}},
    lower_ttl,
    {.exactly_one_of = {"ttl-eq", "ttl-gt", "ttl-lt"}},
    Family::ipv4};
extern const Extension hl_match{
    "hl",
    {{"hl-eq", 1, true}, {"hl", 1, true, "hl-eq"}, {"hl-gt", 1, false}, {"hl-lt", 1, false}},
    lower_hl,
    {.exactly_one_of = {"hl-eq", "hl-gt", "hl-lt"}},
    Family::ipv6};

}  // namespace ipt2nft::grammar
