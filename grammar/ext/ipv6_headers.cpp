// ip6tables' extension header matches: frag, rt, hbh, dst and mh, each found in the header chain
// as ipv6_find_hdr finds it, which nft's exthdr expression does too.
#include <fmt/format.h>

#include <tuple>

#include "grammar/ext/needs_protocol.hpp"

namespace ipt2nft::grammar {

namespace {

void match_equal(PayloadField field, uint64_t value, Span span, LowerContext& ctx) {
    ctx.match(Compare{PayloadSelector{field}, Op::eq, value, {}}, span);
}

// What an option made of the rule: a test, nothing (the header alone), or a refusal (reported).
enum class Made { test, nothing, refusal };

// `[!] low[:high]` of a field of `max` at most (the module's range reaches further: what lies
// past the field never matches). Without a test of the field the header must still be there.
Made match_field_range(const OptionUse& o, PayloadField field, uint64_t max, LowerContext& ctx, std::string_view what) {
    auto range = ctx.values.number_range(o.args[0], UINT32_MAX, what);
    if (!range) return Made::refusal;
    uint64_t low = range->first, high = std::min<uint64_t>(range->second, max);
    bool every = low == 0 && high == max, none = low > max;
    if ((every && !o.inverted) || (none && o.inverted)) return Made::nothing;  // the header alone
    Value values = none || every ? make_range(uint64_t{0}, max) : number_or_range(low, high);
    Op op = o.inverted || none ? Op::neq : Op::eq;
    ctx.match(Compare{PayloadSelector{field}, op, std::move(values), {}}, o.span);
    return Made::test;
}

// A length in bytes, as ipv6_optlen counts it: (hdrlength + 1) * 8. A length no header has is
// refused (the rule could never match); negated, it is any such header.
Made match_length(const ExtensionUse& use, const OptionUse& o, PayloadField field, LowerContext& ctx) {
    auto bytes = ctx.values.number(o.args[0], 0, UINT32_MAX, "header length");
    if (!bytes) return Made::refusal;
    bool possible = *bytes % 8 == 0 && *bytes >= 8 && *bytes <= 2048;
    if (!possible && !o.inverted) {
        ctx.untranslatable(use, fmt::format("the length is in bytes, (hdrlength + 1) * 8: no header is {} bytes long, "
                                            "so the rule matches no packet (--{} 24 is hdrlength 2)",
                                            *bytes, o.def->name));
        return Made::refusal;
    }
    if (!possible) return Made::nothing;
    ctx.match(Compare{PayloadSelector{field}, o.inverted ? Op::neq : Op::eq, *bytes / 8 - 1, {}}, o.span);
    return Made::test;
}

// --fragid, --fragres (both reserved fields zero), --fragfirst, --fragmore, --fraglast.
void lower_frag(const ExtensionUse& use, LowerContext& ctx) {
    bool tested = false;
    if (auto* o = use.find("fragid"))
        tested = match_field_range(*o, PayloadField::frag_id, UINT32_MAX, ctx, "fragment id") == Made::test;
    // Read as ip6tables reads it (a number, or it refuses the rule), then left out.
    if (auto* o = use.find("fraglen"); o && ctx.values.number(o->args[0], 0, UINT32_MAX, "--fraglen"))
        ctx.diags.warning(o->span, "ip6t_frag reads --fraglen but never compares it: the translation leaves it out",
                          "ignored-by-kernel");
    if (auto* o = use.find("fragres")) {
        match_equal(PayloadField::frag_reserved, 0, o->span, ctx);
        match_equal(PayloadField::frag_reserved2, 0, o->span, ctx);
        tested = true;
    }
    for (auto [option, field, value] :
         {std::tuple{"fragfirst", PayloadField::frag_off, 0}, std::tuple{"fragmore", PayloadField::frag_more, 1},
          std::tuple{"fraglast", PayloadField::frag_more, 0}})
        if (auto* o = use.find(option)) {
            match_equal(field, value, o->span, ctx);
            tested = true;
        }
    if (!tested) match_equal(PayloadField::frag_exists, 1, use.span, ctx);
}

// --rt-type, --rt-segsleft and --rt-len; type 0's --rt-0-res and --rt-0-addrs are refused.
void lower_rt(const ExtensionUse& use, LowerContext& ctx) {
    for (std::string_view type0 : {"rt-0-res", "rt-0-addrs"})
        if (use.find(type0)) {
            ctx.untranslatable(use, fmt::format("nft names no field of a type 0 routing header (RFC 5095 deprecated "
                                                "it) that --{} tests",
                                                type0));
            return;
        }
    bool tested = false;
    if (auto* o = use.find("rt-type")) {
        // ip6t_rt keeps the type in 32 bits, and compares the header's one byte with it: a type
        // above 255 is no header's (the test never holds; negated, any routing header passes).
        auto t = ctx.values.number(o->args[0], 0, UINT32_MAX, "routing header type");
        if (!t) return;
        if (*t <= 255 || !o->inverted) {
            Value type = *t <= 255 ? Value(*t) : make_range(uint64_t{0}, uint64_t{255});
            bool equal = *t <= 255 && !o->inverted;
            ctx.match(Compare{PayloadSelector{PayloadField::rt_type}, equal ? Op::eq : Op::neq, type, {}}, o->span);
            tested = true;
        }
    }
    if (auto* o = use.find("rt-segsleft"))
        tested |= match_field_range(*o, PayloadField::rt_segleft, 255, ctx, "segments left") == Made::test;
    Made length = Made::nothing;
    if (auto* o = use.find("rt-len")) length = match_length(use, *o, PayloadField::rt_hdrlength, ctx);
    if (length == Made::nothing && !tested) match_equal(PayloadField::rt_exists, 1, use.span, ctx);
}

// hbh and dst: the options header's length; its options (--hbh-opts, --dst-opts) are refused.
void lower_options_header(const ExtensionUse& use, LowerContext& ctx, std::string_view name, PayloadField length,
                          PayloadField exists) {
    if (const OptionUse* o = use.find(fmt::format("{}-opts", name))) {
        ctx.untranslatable(use,
                           fmt::format("nft does not test the options of an IPv6 options header (--{})", o->def->name));
        return;
    }
    Made made = Made::nothing;
    if (auto* o = use.find(fmt::format("{}-len", name))) made = match_length(use, *o, length, ctx);
    if (made == Made::nothing) match_equal(exists, 1, use.span, ctx);
}

void lower_hbh(const ExtensionUse& use, LowerContext& ctx) {
    lower_options_header(use, ctx, "hbh", PayloadField::hbh_hdrlength, PayloadField::hbh_exists);
}
void lower_dst(const ExtensionUse& use, LowerContext& ctx) {
    lower_options_header(use, ctx, "dst", PayloadField::dst_hdrlength, PayloadField::dst_exists);
}

// A mobility header type by libip6t_mh's names (and their short forms) or number.
std::optional<uint64_t> mh_type(std::string_view text) {
    static constexpr std::pair<std::string_view, std::string_view> names[] = {{"binding-refresh-request", "brr"},
                                                                              {"home-test-init", "hoti"},
                                                                              {"careof-test-init", "coti"},
                                                                              {"home-test", "hot"},
                                                                              {"careof-test", "cot"},
                                                                              {"binding-update", "bu"},
                                                                              {"binding-acknowledgement", "ba"},
                                                                              {"binding-error", "be"}};
    for (size_t i = 0; i < std::size(names); ++i)
        if (text == names[i].first || text == names[i].second) return i;
    auto n = parse_unsigned(text);
    return n && *n <= 255 ? n : std::nullopt;
}

// The mobility header is the packet's last header, so the kernel needs -p mh.
void lower_mh(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 135, "mh")) return;
    const OptionUse* o = use.find("mh-type");
    if (!o) return match_equal(PayloadField::mh_exists, 1, use.span, ctx);
    const Word& w = o->args[0];
    size_t colon = w.text.find(':');
    auto low = mh_type(w.text.substr(0, colon));
    auto high = colon == std::string::npos ? low : mh_type(w.text.substr(colon + 1));
    if (!low || !high || *low > *high) {
        ctx.diags.error(w.span,
                        fmt::format("'{}' is not a mobility header type or a range of them (0-255, or "
                                    "names such as binding-update)",
                                    w.text),
                        "bad-value");
        return;
    }
    bool every = *low == 0 && *high == 255;
    if (every && !o->inverted) return match_equal(PayloadField::mh_exists, 1, use.span, ctx);
    ctx.match(
        Compare{
            PayloadSelector{PayloadField::mh_type}, o->inverted ? Op::neq : Op::eq, number_or_range(*low, *high), {}},
        o->span);
}

}  // namespace

extern const Extension frag_match{"frag",
                                  {{"fragid", 1, true},
                                   {"fraglen", 1, true},
                                   {"fragres", 0, false},
                                   {"fragfirst", 0, false},
                                   {"fragmore", 0, false},
                                   {"fraglast", 0, false}},
                                  lower_frag,
                                  {.exclusive = {{"fragmore", "fraglast"}}},
                                  Family::ipv6};
extern const Extension rt_match{"rt",
                                {{"rt-type", 1, true},
                                 {"rt-segsleft", 1, true},
                                 {"rt-len", 1, true},
                                 {"rt-0-res", 0, false},
                                 {"rt-0-addrs", 1, false},
                                 {"rt-0-not-strict", 0, false}},
                                lower_rt,
                                {.requires_ = {{"rt-0-not-strict", "rt-0-addrs"}}},
                                Family::ipv6};
extern const Extension hbh_match{"hbh", {{"hbh-len", 1, true}, {"hbh-opts", 1, false}}, lower_hbh, {}, Family::ipv6};
extern const Extension dst_match{"dst", {{"dst-len", 1, true}, {"dst-opts", 1, false}}, lower_dst, {}, Family::ipv6};
extern const Extension mh_match{"mh", {{"mh-type", 1, true}}, lower_mh, {}, Family::ipv6};

}  // namespace ipt2nft::grammar
