// NFQUEUE target: to a userspace queue, or spread over a range of them.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_nfqueue(const ExtensionUse& use, LowerContext& ctx) {
    Queue q;
    const OptionUse* num = use.find("queue-num");
    const OptionUse* balance = use.find("queue-balance");
    if (num) {
        auto n = ctx.values.number(num->args[0], 0, 65535, "queue number");
        if (!n) return;
        q.first = q.last = static_cast<uint16_t>(*n);
    }
    if (balance) {
        // FIRST:LAST in numbers, FIRST below LAST, as iptables takes them.
        const Word& w = balance->args[0];
        auto colon = w.text.find(':');
        if (colon == std::string::npos) {
            ctx.diags.error(w.span, fmt::format("--queue-balance takes FIRST:LAST, not '{}'", w.text), "bad-value");
            return;
        }
        Word first{w.text.substr(0, colon), w.span, w.quoted, false};
        Word last{w.text.substr(colon + 1), w.span, w.quoted, false};
        auto lo = ctx.values.number(first, 0, 65535, "queue number");
        auto hi = lo ? ctx.values.number(last, 0, 65535, "queue number") : std::nullopt;
        if (!hi) return;
        if (*lo >= *hi) {
            ctx.diags.error(w.span, fmt::format("--queue-balance {}: the first queue must be below the last", w.text),
                            "bad-value");
            return;
        }
        if (*hi - *lo + 1 > 65535) {
            // The kernel keeps the number of queues in 16 bits: 65536 of them wrap to none.
            ctx.diags.error(
                w.span, fmt::format("--queue-balance {} spans 65536 queues; the kernel takes at most 65535", w.text),
                "bad-value");
            return;
        }
        q.first = static_cast<uint16_t>(*lo);
        q.last = static_cast<uint16_t>(*hi);
    }
    q.bypass = use.find("queue-bypass") != nullptr;
    q.fanout = use.find("queue-cpu-fanout") != nullptr;
    ctx.action(q, use.span);
}

}  // namespace

extern const Extension nfqueue_target{
    "NFQUEUE",
    {{"queue-num", 1, false}, {"queue-balance", 1, false}, {"queue-bypass", 0, false}, {"queue-cpu-fanout", 0, false}},
    lower_nfqueue,
    {.exclusive = {{"queue-num", "queue-balance"}}, .requires_ = {{"queue-cpu-fanout", "queue-balance"}}}};

}  // namespace ipt2nft::grammar
