// limit match: a token bucket of --limit per unit with --limit-burst.
#include <fmt/format.h>

#include <charconv>
#include <iterator>
#include <utility>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {
void lower_limit(const ExtensionUse& use, LowerContext& ctx) {
    RateLimit l{3, "hour", 5};  // iptables' defaults
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
        const char* name = nullptr;
        uint64_t seconds = 0;
        for (auto [candidate, length] :
             {std::pair{"second", 1}, std::pair{"minute", 60}, std::pair{"hour", 3600}, std::pair{"day", 86400}}) {
            std::string_view full = candidate;
            if (!unit.empty() && starts_with_nocase(full, unit)) {
                name = candidate;
                seconds = static_cast<uint64_t>(length);
                break;
            }
        }
        if (!name || n == 0) {
            ctx.diags.error(w.span,
                            fmt::format("'{}' is not a rate (N/second, N/minute, N/hour or N/day, N > 0)", w.text),
                            "bad-rate");
            return;
        }
        // xt_limit keeps the interval in 1/10000 s: faster than 10000/s cannot be expressed.
        if (n > 10000 * seconds) {
            ctx.diags.error(w.span,
                            fmt::format("rate {} is too fast for the limit match (at most 10000/second)", w.text),
                            "bad-rate");
            return;
        }
        // iptables keeps the interval between tokens, in 1/10000 s, as a whole number, and
        // iptables-nft gives nft the rate that interval makes, in the largest unit that still
        // says it well (libxt_limit's print_rate): `255/sec` is 256/second in the kernel (seen),
        // its interval being 39.
        uint64_t interval = 10000 * seconds / n;
        constexpr std::pair<const char*, uint64_t> units[] = {
            {"day", 864000000}, {"hour", 36000000}, {"minute", 600000}, {"second", 10000}};
        size_t i = 1;
        while (i < std::size(units) && interval <= units[i].second &&
               units[i].second / interval >= units[i].second % interval)
            ++i;
        l.rate = units[i - 1].second / interval;
        l.unit = units[i - 1].first;
    }
    if (const OptionUse* o = use.find("limit-burst")) {
        auto b = ctx.values.number(o->args[0], 0, 10000, "burst");
        if (!b) return;
        l.burst = static_cast<uint32_t>(*b);
    }
    ctx.limit(l, span);
}
}  // namespace

extern const Extension limit_match{"limit", {{"limit", 1, false}, {"limit-burst", 1, false}}, lower_limit};

}  // namespace ipt2nft::grammar
