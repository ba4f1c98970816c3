// TCPMSS target: the MSS option of SYN packets, set or clamped to the route's path MTU.
#include <fmt/format.h>

#include <algorithm>

#include "grammar/ext/needs_protocol.hpp"
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_tcpmss(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* set = use.find("set-mss");
    const OptionUse* clamp = use.find("clamp-mss-to-pmtu");
    // iptables's own bound, read also when --clamp-mss-to-pmtu overrides the size: an MSS leaves
    // room for the 20-byte TCP header in 65535.
    std::optional<uint64_t> size;
    if (set && !(size = ctx.values.number(set->args[0], 0, 65515, "MSS"))) return;
    if (set && clamp) {
        // iptables takes both and keeps the later (iptables-nft-save shows only that one).
        bool clamp_later = clamp > set;  // both point into use.options
        const OptionUse* earlier = clamp_later ? set : clamp;
        ctx.diags.warning(earlier->span,
                          fmt::format("--{} is overridden by the later --{}, as in iptables", earlier->def->name,
                                      (clamp_later ? clamp : set)->def->name),
                          "ignored-option");
        (clamp_later ? set : clamp) = nullptr;
    }
    if (!target_requires_protocol(use, ctx, {6})) return;
    bool syn_only = std::any_of(ctx.rule.conditions.begin(), ctx.rule.conditions.end(), [](const Condition& c) {
        auto* cmp = std::get_if<Compare>(&c.test);
        auto* p = cmp ? std::get_if<PayloadSelector>(&cmp->selector) : nullptr;
        if (!p || p->field != PayloadField::tcp_flags || cmp->op != Op::masked_eq || !cmp->mask) return false;
        auto value = std::get<uint64_t>(cmp->value.v), mask = *cmp->mask;
        return (mask & 0x02) && (value & 0x02);
    });
    // xt_TCPMSS checks for a SYN match only outside nft's compat layer (par->nft_compat): seen,
    // iptables-legacy refuses the rule and iptables-nft takes it, and then gives every packet
    // without data and without an MSS option one (seen on a pure ACK).
    if (!syn_only)
        ctx.diags.warning(use.span,
                          "TCPMSS without a SYN test such as '--syn': iptables-legacy refuses it; iptables-nft takes "
                          "it and adds an MSS option to every packet without data that has none (pure ACKs too), "
                          "which nft cannot: this translation changes only MSS options already there",
                          "needs-syn");
    TcpMss mss;
    if (set) {
        mss.size = static_cast<uint16_t>(*size);
        // xt_TCPMSS gives a SYN that has no MSS option one of min(MSS, the family's default), which
        // its receiver assumes anyway (536 for IPv4, 1220 for IPv6); nft only changes an option
        // already there. Seen for IPv4 in a namespace: the two differ only for an MSS below 536.
        unsigned assumed = ctx.family == Family::ipv4 ? 536 : 1220;
        if (*size < assumed)
            ctx.diags.warning(set->args[0].span,
                              fmt::format("a SYN without an MSS option gets one of {} from iptables; nft can only "
                                          "change an option already there, so such a SYN keeps none and its "
                                          "receiver assumes {}",
                                          *size, assumed),
                              "mss-not-added");
    }
    ctx.action(mss, use.span);
}

}  // namespace

extern const Extension tcpmss_target{"TCPMSS",
                                     {{"set-mss", 1, false}, {"clamp-mss-to-pmtu", 0, false}},
                                     lower_tcpmss,
                                     {.needs_one_of = {"set-mss", "clamp-mss-to-pmtu"}}};

}  // namespace ipt2nft::grammar
