// REJECT target: an ICMP or ICMPv6 error of the family, or a TCP reset.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_reject(const ExtensionUse& use, LowerContext& ctx) {
    // Port unreachable by default, as an ICMP or ICMPv6 code.
    Reject r{RejectType::icmp_unreach, uint8_t(ctx.family == Family::ipv4 ? 3 : 4), ctx.family};
    const OptionUse* o = use.find("reject-with");
    if (!o) {
        ctx.action(r, use.span);
        return;
    }
    struct Kind {
        std::string_view names[2];
        RejectType type;
        uint8_t code;  // ICMP (ICMPv6) unreachable codes
    };
    using enum RejectType;
    // iptables's tables, in its order: it takes the first entry whose name or alias begins with
    // the word, in any case (seen: 'h' is icmp-host-unreachable, 'port' icmp-port-unreachable).
    static const Kind v4[] = {
        {{"icmp-net-unreachable", "net-unreach"}, icmp_unreach, 0},
        {{"icmp-host-unreachable", "host-unreach"}, icmp_unreach, 1},
        {{"icmp-proto-unreachable", "proto-unreach"}, icmp_unreach, 2},
        {{"icmp-port-unreachable", "port-unreach"}, icmp_unreach, 3},
        {{"icmp-net-prohibited", "net-prohib"}, icmp_unreach, 9},
        {{"icmp-host-prohibited", "host-prohib"}, icmp_unreach, 10},
        {{"tcp-reset", "tcp-rst"}, tcp_reset, 0},
        {{"icmp-admin-prohibited", "admin-prohib"}, icmp_unreach, 13},
    };
    static const Kind v6[] = {
        {{"icmp6-no-route", "no-route"}, icmp_unreach, 0},
        {{"icmp6-adm-prohibited", "adm-prohibited"}, icmp_unreach, 1},
        {{"icmp6-addr-unreachable", "addr-unreach"}, icmp_unreach, 3},
        {{"icmp6-port-unreachable", "port-unreach"}, icmp_unreach, 4},
        {{"tcp-reset", "tcp-reset"}, tcp_reset, 0},
        {{"icmp6-policy-fail", "policy-fail"}, icmp_unreach, 5},
        {{"icmp6-reject-route", "reject-route"}, icmp_unreach, 6},
    };
    const Word& w = o->args[0];
    auto begins = [&](std::string_view name) { return starts_with_nocase(name, w.text); };
    auto find = [&](const auto& table) -> const Kind* {
        for (const auto& k : table)
            if (begins(k.names[0]) || begins(k.names[1])) return &k;
        return nullptr;
    };
    const Kind* k = ctx.family == Family::ipv4 ? find(v4) : find(v6);
    if (!k) {
        std::vector<std::string_view> names;
        auto collect = [&](const auto& table) {
            for (const auto& kind : table) names.push_back(kind.names[0]);
        };
        ctx.family == Family::ipv4 ? collect(v4) : collect(v6);
        ctx.diags.error(w.span,
                        fmt::format("unknown --reject-with type '{}' for {}{}", w.text,
                                    ctx.family == Family::ipv4 ? "iptables" : "ip6tables", did_you_mean(w.text, names)),
                        "bad-value");
        return;
    }
    if (k->type == tcp_reset && ctx.protocol != 6) {
        ctx.diags.error(o->span, "--reject-with tcp-reset needs '-p tcp'", "needs-protocol");
        return;
    }
    r.type = k->type;
    r.code = k->code;
    ctx.action(r, use.span);
}

}  // namespace

extern const Extension reject_target{"REJECT", {{"reject-with", 1, false}}, lower_reject};

}  // namespace ipt2nft::grammar
