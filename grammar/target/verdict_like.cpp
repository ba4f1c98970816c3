// Targets that end or pass on a packet without changing it: REJECT, LOG, NFLOG, NFQUEUE, TRACE.
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

std::optional<uint8_t> log_level(const Word& w, LowerContext& ctx) {
    // The names iptables 1.8 takes (not nft's own "err" and "warn"), with syslog's numbers.
    static const std::pair<std::string_view, uint8_t> levels[] = {
        {"emerg", 0},   {"panic", 0},  {"alert", 1}, {"crit", 2},  {"error", 3},
        {"warning", 4}, {"notice", 5}, {"info", 6},  {"debug", 7}};
    for (auto& [name, number] : levels)
        if (name == w.text) return number;
    if (auto n = parse_unsigned(w.text); n && *n < 8) return static_cast<uint8_t>(*n);
    std::vector<std::string_view> names;
    for (auto& [name, number] : levels) names.push_back(name);
    ctx.diags.error(w.span, fmt::format("unknown log level '{}'{}", w.text, did_you_mean(w.text, names)), "bad-value");
    return std::nullopt;
}

// A log prefix as iptables keeps it: at least one character, at most `limit`.
std::optional<std::string_view> log_prefix(const OptionUse& o, size_t limit, std::string_view what, LowerContext& ctx) {
    if (o.args[0].text.empty()) {
        ctx.diags.error(o.span, fmt::format("{} is empty, which iptables refuses", what), "bad-value");
        return std::nullopt;
    }
    return ctx.kept_by_iptables(o.args[0], limit, what);
}

void lower_log(const ExtensionUse& use, LowerContext& ctx) {
    Log l;
    if (const OptionUse* o = use.find("log-prefix")) {
        l.prefix = log_prefix(*o, 29, "the log prefix", ctx);
        if (!l.prefix) return;
    }
    if (const OptionUse* o = use.find("log-level")) {
        l.level = log_level(o->args[0], ctx);
        if (!l.level) return;
        if (*l.level == 4) l.level.reset();  // warning, the default of both
    }
    for (auto [option, flag] : {std::pair{"log-tcp-sequence", log_tcp_sequence}, {"log-tcp-options", log_tcp_options},
                                {"log-ip-options", log_ip_options}, {"log-uid", log_uid},
                                {"log-macdecode", log_mac_decode}})
        if (use.find(option)) l.flags |= flag;
    ctx.action(l, use.span);
}

void lower_nflog(const ExtensionUse& use, LowerContext& ctx) {
    NfLog l;
    if (const OptionUse* o = use.find("nflog-group")) {
        auto g = ctx.values.number(o->args[0], 0, 65535, "NFLOG group");
        if (!g) return;
        l.group = static_cast<uint16_t>(*g);
    }
    // iptables-nft keeps 127 bytes of it, as nft does (iptables-legacy 63).
    if (const OptionUse* o = use.find("nflog-prefix")) {
        l.prefix = log_prefix(*o, 127, "the NFLOG prefix", ctx);
        if (!l.prefix) return;
    }
    if (const OptionUse* range = use.find("nflog-range")) {
        // The kernel copies a limited length only with the flag --nflog-size sets; iptables warns too,
        // after reading the number.
        if (!ctx.values.number(range->args[0], 0, UINT32_MAX, "NFLOG range")) return;
        ctx.diags.warning(range->span, "--nflog-range has no effect in the kernel and is left out: use --nflog-size",
                          "ignored-option");
    }
    if (const OptionUse* size = use.find("nflog-size")) {
        auto s = ctx.values.number(size->args[0], 0, UINT32_MAX, "NFLOG size");
        if (!s) return;
        l.snaplen = static_cast<uint32_t>(*s);
    }
    if (const OptionUse* o = use.find("nflog-threshold")) {
        auto t = ctx.values.number(o->args[0], 0, 65535, "NFLOG threshold");
        if (!t) return;
        if (*t != 0) l.threshold = static_cast<uint16_t>(*t);  // 0 is the kernel's default: one message a packet
    }
    ctx.action(l, use.span);
}

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

void lower_trace(const ExtensionUse& use, LowerContext& ctx) {
    ctx.action(SetField{MetaSelector{MetaKey::nftrace}, FieldExpression{1, {}, {}, {}, {}, 0, 0}}, use.span);
}

}  // namespace

extern const Extension reject_target{"REJECT", {{"reject-with", 1, false}}, lower_reject};
extern const Extension log_target{"LOG",
                                  {{"log-level", 1, false},
                                   {"log-prefix", 1, false},
                                   {"log-tcp-sequence", 0, false},
                                   {"log-tcp-options", 0, false},
                                   {"log-ip-options", 0, false},
                                   {"log-uid", 0, false},
                                   {"log-macdecode", 0, false}},
                                  lower_log};
extern const Extension nflog_target{"NFLOG",
                                    {{"nflog-group", 1, false},
                                     {"nflog-prefix", 1, false},
                                     {"nflog-range", 1, false},
                                     {"nflog-size", 1, false},
                                     {"nflog-threshold", 1, false}},
                                    lower_nflog,
                                    {.exclusive = {{"nflog-range", "nflog-size"}}}};
extern const Extension nfqueue_target{
    "NFQUEUE",
    {{"queue-num", 1, false}, {"queue-balance", 1, false}, {"queue-bypass", 0, false}, {"queue-cpu-fanout", 0, false}},
    lower_nfqueue,
    {.exclusive = {{"queue-num", "queue-balance"}}, .requires_ = {{"queue-cpu-fanout", "queue-balance"}}}};
extern const Extension trace_target{"TRACE", {}, lower_trace};

}  // namespace ipt2nft::grammar
