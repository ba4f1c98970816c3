// statistic match: random sampling and every-nth packet.
#include <fmt/format.h>

#include <cmath>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {
void lower_statistic(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* mode = use.find("mode");  // present: the match's option rules need it
    if (mode->args[0].text == "random") {
        const OptionUse* p = use.find("probability");
        if (!p) {
            ctx.diags.error(mode->span, "--mode random needs --probability", "missing-option");
            return;
        }
        char* end = nullptr;
        std::string text(p->args[0].text);  // strtod, as iptables reads it, needs the NUL
        double prob = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !(prob >= 0.0 && prob <= 1.0)) {
            ctx.diags.error(p->args[0].span, fmt::format("probability '{}' is not between 0 and 1", p->args[0].text),
                            "bad-value");
            return;
        }
        // The kernel compares 31 random bits with round(probability * 2^31).
        auto threshold = static_cast<uint64_t>(std::lround(prob * 2147483648.0));
        ctx.match(
            Compare{MetaSelector{MetaKey::random}, p->inverted ? Op::ge : Op::lt, threshold, uint64_t{0x7fffffff}},
            p->span);
    } else if (mode->args[0].text == "nth") {
        const OptionUse* every = use.find("every");
        if (!every) {
            ctx.diags.error(mode->span, "--mode nth needs --every", "missing-option");
            return;
        }
        auto n = ctx.values.number(every->args[0], 1, UINT32_MAX, "--every count");
        const OptionUse* p = use.find("packet");
        if (!p) {
            ctx.diags.error(every->span, "--every needs --packet too, as iptables requires", "missing-option");
            return;
        }
        auto packet = n ? ctx.values.number(p->args[0], 0, *n - 1, "--packet") : std::nullopt;
        if (!packet) return;
        // Same sequence as xt_statistic: a per-rule counter that starts at 1 and wraps at n.
        ctx.match(Compare{NumgenSelector{static_cast<uint32_t>(*n)}, every->inverted ? Op::neq : Op::eq, *packet, {}},
                  every->span);
    } else {
        ctx.diags.error(mode->args[0].span,
                        fmt::format("unknown statistic mode '{}' (random or nth)", mode->args[0].text), "bad-value");
    }
}
}  // namespace

extern const Extension statistic_match{
    "statistic",
    {{"mode", 1, false}, {"probability", 1, true}, {"every", 1, true}, {"packet", 1, false}},
    lower_statistic,
    {.needs_one_of = {"mode"}, .exclusive = {{"probability", "every"}, {"probability", "packet"}}}};

}  // namespace ipt2nft::grammar
