// limit match: a token bucket of --limit per unit with --limit-burst.
#include <fmt/format.h>

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
        auto n = parse_unsigned(std::string_view(w.text).substr(0, slash));
        std::string_view unit = slash == std::string::npos ? "s" : w.text.substr(slash + 1);
        const char* name = nullptr;
        if (!unit.empty()) {
            if (std::string("second").starts_with(unit) || unit == "sec")
                name = "second";
            else if (std::string("minute").starts_with(unit) || unit == "min")
                name = "minute";
            else if (std::string("hour").starts_with(unit))
                name = "hour";
            else if (std::string("day").starts_with(unit))
                name = "day";
        }
        if (!n || !name || *n == 0) {
            ctx.diags.error(w.span,
                            fmt::format("'{}' is not a rate (N/second, N/minute, N/hour or N/day, N > 0)", w.text),
                            "bad-rate");
            return;
        }
        // xt_limit keeps the interval in 1/10000 s: faster than 10000/s cannot be expressed.
        if (std::string_view(name) == "second" && *n > 10000) {
            ctx.diags.error(w.span,
                            fmt::format("rate {} is too fast for the limit match (at most 10000/second)", w.text),
                            "bad-rate");
            return;
        }
        l.rate = *n;
        l.unit = name;
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
