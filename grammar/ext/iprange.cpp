// iprange match: address ranges on source and destination.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {
void lower_iprange(const ExtensionUse& use, LowerContext& ctx) {
    bool v4 = ctx.family == Family::ipv4;
    for (auto [option, field] : {std::pair{"src-range", v4 ? PayloadField::ip_saddr : PayloadField::ip6_saddr},
                                 std::pair{"dst-range", v4 ? PayloadField::ip_daddr : PayloadField::ip6_daddr}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        const Word& w = o->args[0];
        // One address alone is the range from it to itself, as iptables lists it.
        auto dash = w.text.find('-');
        size_t high_begin = dash == std::string::npos ? 0 : dash + 1;
        auto lo =
            ctx.values.address(std::string_view(w.text).substr(0, dash), sub_span(w, 0, std::min(dash, w.text.size())),
                               ctx.family, ValueReader::AddressSyntax::numeric);
        auto hi =
            ctx.values.address(std::string_view(w.text).substr(high_begin), sub_span(w, high_begin, w.text.size()),
                               ctx.family, ValueReader::AddressSyntax::numeric);
        if (!lo || !hi) continue;
        if (std::lexicographical_compare(hi->bytes.begin(), hi->bytes.begin() + static_cast<long>(hi->size()),
                                         lo->bytes.begin(), lo->bytes.begin() + static_cast<long>(lo->size()))) {
            ctx.diags.error(w.span, fmt::format("address range {} is inverted", w.text), "bad-address");
            continue;
        }
        Value v = *lo == *hi ? Value(Prefix{*lo, mask_of_length(ctx.family, ctx.family == Family::ipv4 ? 32 : 128)})
                             : make_range(*lo, *hi);
        ctx.match(Compare{PayloadSelector{field}, o->inverted ? Op::neq : Op::eq, v, {}}, o->span);
    }
}
}  // namespace

extern const Extension iprange_match{"iprange",
                                     {{"src-range", 1, true}, {"dst-range", 1, true}},
                                     lower_iprange,
                                     {.needs_one_of = {"src-range", "dst-range"}}};

}  // namespace ipt2nft::grammar
