// limit match: a token bucket of --limit per unit with --limit-burst.
#include "grammar/ext/rates.hpp"
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {
// xt_limit keeps the interval between tokens in 1/10000 s.
constexpr uint64_t ticks_per_second = 10000;

void lower_limit(const ExtensionUse& use, LowerContext& ctx) {
    RateLimit l{3, 3600, 5};  // iptables' defaults: 3/hour
    Span span = use.span;
    if (const OptionUse* o = use.find("limit")) {
        span = o->span;
        auto rate = read_rate(o->args[0], ticks_per_second, true, "limit", ctx.diags);
        if (!rate) return;
        l.rate = rate->rate;
        l.period = rate->period;
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
