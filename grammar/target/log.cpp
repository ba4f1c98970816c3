// LOG, NFLOG, ULOG and AUDIT targets: a log statement, to the kernel log, an nflog group or audit.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

std::optional<uint8_t> log_level(const Word& w, LowerContext& ctx) {
    // The names iptables 1.8 takes (not nft's own "err" and "warn"), with syslog's numbers.
    static const std::pair<std::string_view, uint8_t> levels[] = {{"emerg", 0},  {"panic", 0}, {"alert", 1},
                                                                  {"crit", 2},   {"error", 3}, {"warning", 4},
                                                                  {"notice", 5}, {"info", 6},  {"debug", 7}};
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
    for (auto [option, flag] : {std::pair{"log-tcp-sequence", log_tcp_sequence},
                                {"log-tcp-options", log_tcp_options},
                                {"log-ip-options", log_ip_options},
                                {"log-uid", log_uid},
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

// ULOG left the kernel in Linux 3.17; its netlink groups and options are NFLOG's, so a ruleset
// that still names it is written as NFLOG, with a warning that says what to read the log with.
void lower_ulog(const ExtensionUse& use, LowerContext& ctx) {
    NfLog l;
    l.group = 1;  // ULOG's default netlink group
    if (const OptionUse* o = use.find("ulog-nlgroup")) {
        auto g = ctx.values.number(o->args[0], 1, 32, "ULOG netlink group");
        if (!g) return;
        l.group = static_cast<uint16_t>(*g);
    }
    if (const OptionUse* o = use.find("ulog-prefix")) {
        l.prefix = log_prefix(*o, 31, "the ULOG prefix", ctx);
        if (!l.prefix) return;
    }
    if (const OptionUse* o = use.find("ulog-cprange")) {
        auto s = ctx.values.number(o->args[0], 0, UINT32_MAX, "ULOG copy range");
        if (!s) return;
        if (*s != 0) l.snaplen = static_cast<uint32_t>(*s);  // 0: the whole packet, as NFLOG's default
    }
    if (const OptionUse* o = use.find("ulog-qthreshold")) {
        auto t = ctx.values.number(o->args[0], 1, 50, "ULOG queue threshold");
        if (!t) return;
        if (*t != 1) l.threshold = static_cast<uint16_t>(*t);
    }
    ctx.diags.warning(use.span,
                      fmt::format("ULOG has not been in the kernel since Linux 3.17 (iptables refuses it there): "
                                  "written as NFLOG group {}, which ulogd2 reads with its NFLOG input",
                                  l.group),
                      "ulog-as-nflog");
    ctx.action(l, use.span);
}

// AUDIT: an audit record of the packet; the kernel ignores --type (accept, drop, reject) since 4.11.
void lower_audit(const ExtensionUse& use, LowerContext& ctx) {
    const Word& type = use.find("type")->args[0];
    if (type.text != "accept" && type.text != "drop" && type.text != "reject") {
        ctx.diags.error(type.span, fmt::format("unknown AUDIT type '{}' (accept, drop, reject)", type.text),
                        "bad-value");
        return;
    }
    Log l;
    l.level = log_level_audit;
    ctx.action(l, use.span);
}

}  // namespace

extern const Extension ulog_target{
    "ULOG",
    {{"ulog-nlgroup", 1, false}, {"ulog-prefix", 1, false}, {"ulog-cprange", 1, false}, {"ulog-qthreshold", 1, false}},
    lower_ulog,
    {},
    Family::ipv4};
extern const Extension audit_target{"AUDIT", {{"type", 1, false}}, lower_audit, {.needs_one_of = {"type"}}};

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

}  // namespace ipt2nft::grammar
