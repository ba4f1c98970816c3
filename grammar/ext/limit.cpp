// limit match: a token bucket of --limit per unit with --limit-burst.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <utility>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {
// The units of a rate, in the order iptables tries a prefix, with xt_limit's scale: the interval
// between tokens is kept in 1/10000 s.
constexpr std::pair<const char*, uint64_t> units[] = {{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}};
constexpr uint64_t ticks_per_second = 10000;

void lower_limit(const ExtensionUse& use, LowerContext& ctx) {
    RateLimit l{3, 3600, 5};  // iptables' defaults: 3/hour
    Span span = use.span;
    if (const OptionUse* o = use.find("limit")) {
        span = o->span;
        const Word& w = o->args[0];
        auto slash = w.text.find('/');
        // iptables reads the count with atoi (decimal: 0x10 is 0, refused) and the unit as any
        // prefix of second, minute, hour or day in any case, tried in that order.
        std::string_view count = std::string_view(w.text).substr(0, slash);
        uint64_t n = 0;
        auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), n, 10);
        if (error != std::errc() || end != count.data() + count.size()) n = 0;
        std::string_view unit = slash == std::string::npos ? "s" : w.text.substr(slash + 1);
        auto given = std::find_if(std::begin(units), std::end(units),
                                  [&](auto& u) { return !unit.empty() && starts_with_nocase(u.first, unit); });
        if (given == std::end(units) || n == 0) {
            ctx.diags.error(w.span,
                            fmt::format("'{}' is not a rate (N/second, N/minute, N/hour or N/day, N > 0)", w.text),
                            "bad-rate");
            return;
        }
        if (n > ticks_per_second * given->second) {
            ctx.diags.error(w.span,
                            fmt::format("rate {} is too fast for the limit match (at most 10000/second)", w.text),
                            "bad-rate");
            return;
        }
        // iptables keeps the interval as a whole number of ticks, and iptables-nft gives nft the
        // rate that interval makes, in the largest unit that still says it well (libxt_limit's
        // print_rate): `255/sec` is 256/second in the kernel (seen), its interval being 39.
        uint64_t interval = ticks_per_second * given->second / n;
        size_t chosen = std::size(units) - 1;
        while (chosen > 0) {
            uint64_t smaller = ticks_per_second * units[chosen - 1].second;
            if (interval > smaller || smaller / interval < smaller % interval) break;
            --chosen;
        }
        l.rate = ticks_per_second * units[chosen].second / interval;
        l.period = units[chosen].second;
    }
    if (const OptionUse* o = use.find("limit-burst")) {
        auto b = ctx.values.number(o->args[0], 0, 10000, "burst");
        if (!b) return;
        l.burst = static_cast<uint32_t>(*b);
    }
    ctx.stateful(l, span);
}
}  // namespace

extern const Extension limit_match{"limit", {{"limit", 1, false}, {"limit-burst", 1, false}}, lower_limit};

}  // namespace ipt2nft::grammar
