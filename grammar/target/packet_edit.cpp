// Targets that edit the packet or its tracking: NOTRACK, CT, TCPMSS, CLASSIFY, DSCP, TOS.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_notrack(const ExtensionUse& use, LowerContext& ctx) {
    ctx.action(Notrack{}, use.span);
}

// The conntrack helpers of the kernel's tree and the protocols they register (seen: iptables-nft and
// nft load exactly these pairs).
bool kernel_helper(std::string_view name, std::string_view protocol) {
    constexpr std::pair<std::string_view, std::string_view> helpers[] = {
        {"ftp", "tcp"},  {"irc", "tcp"},   {"sip", "tcp"},   {"sip", "udp"},      {"sane", "tcp"},
        {"pptp", "tcp"}, {"Q.931", "tcp"}, {"tftp", "udp"},  {"amanda", "udp"},   {"netbios-ns", "udp"},
        {"snmp", "udp"}, {"RAS", "udp"},   {"H.245", "udp"}, {"snmp_trap", "udp"}};
    return std::find(std::begin(helpers), std::end(helpers), std::pair{name, protocol}) != std::end(helpers);
}

void lower_ct(const ExtensionUse& use, LowerContext& ctx) {
    for (const auto& o : use.options) {
        std::string_view n = o.def->name;
        if (n != "notrack" && n != "zone" && n != "zone-orig" && n != "zone-reply" && n != "helper") {
            ctx.untranslatable(use, fmt::format("CT --{} has no nft translation in ipt2nft", n));
            return;
        }
    }
    // The zone options: the last value counts and the directions add up (seen: `--zone-orig 5
    // --zone-reply 6` is `--zone 6`, `--zone 5 --zone-orig 6` is `--zone-orig 6`); iptables reads
    // every value, with --notrack too, so each must be one. `mark` takes each packet's mark.
    std::optional<uint64_t> zone;
    bool original = false, reply = false, by_mark = false;
    for (const auto& o : use.options) {
        std::string_view n = o.def->name;
        if (n != "zone" && n != "zone-orig" && n != "zone-reply") continue;
        by_mark = equals_nocase(o.args[0].text, "mark");
        if (!by_mark && !(zone = ctx.values.number(o.args[0], 0, 65535, "conntrack zone"))) return;
        original = original || n == "zone-orig";
        reply = reply || n == "zone-reply";
    }
    if (const OptionUse* notrack = use.find("notrack")) {
        // xt_CT leaves the packet untracked and ignores the rest (seen in a namespace: --notrack
        // --zone 5 leaves packets UNTRACKED).
        if (use.options.size() > 1)
            ctx.diags.warning(notrack->span,
                              "with --notrack the kernel ignores the other CT options, and so does this translation",
                              "ignored-option");
        ctx.action(Notrack{}, use.span);
        return;
    }
    if (by_mark) {
        // nft 1.0.6 refuses `ct zone set mark` (its types differ) and has no cast.
        ctx.untranslatable(
            use, "a zone taken from each packet's mark has no nft 1.0.6 form (`ct zone set mark` is refused)");
        return;
    }
    if (zone) {
        FieldExpression e;
        e.constant = *zone;
        CtDirection direction = original == reply ? CtDirection::none
                                : original        ? CtDirection::original
                                                  : CtDirection::reply;
        ctx.action(SetField{CtSelector{CtKey::zone, direction}, e}, use.span);
    }
    if (const OptionUse* h = use.find("helper")) {
        std::string_view proto = ctx.protocol == 6 ? "tcp" : ctx.protocol == 17 ? "udp" : "";
        if (proto.empty()) {
            ctx.diags.error(h->span, "CT --helper needs '-p tcp' or '-p udp': nft's helper object names its protocol",
                            "needs-protocol");
            return;
        }
        if (!kernel_helper(h->args[0].text, proto)) {
            ctx.diags.error(h->args[0].span,
                            fmt::format("the kernel has no conntrack helper '{}' for {}: iptables fails to load the "
                                        "rule too (names are case-sensitive)",
                                        h->args[0].text, proto),
                            "unknown-helper");
            return;
        }
        ctx.action(CtHelper{h->args[0].text, *ctx.protocol}, use.span);
    }
}

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
    if (ctx.protocol != 6) {
        ctx.diags.error(use.span, "TCPMSS needs '-p tcp'", "needs-protocol");
        return;
    }
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

void lower_classify(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("set-class");  // present: the target's option rules need it
    const Word& w = o->args[0];
    // iptables reads it with sscanf's "%x:%x" and passes over what follows (seen: `1:2.` is 1:2);
    // a number above ffff, which it cuts to 16 bits, is refused here.
    unsigned major = 0, minor = 0;
    int read = 0;
    if (std::sscanf(std::string(w.text).c_str(), "%x:%x%n", &major, &minor, &read) != 2 || major > 0xffff ||
        minor > 0xffff) {
        ctx.diags.error(w.span, fmt::format("'{}' is not a class (MAJOR:MINOR in hex)", w.text), "bad-value");
        return;
    }
    if (static_cast<size_t>(read) < w.text.size())
        ctx.diags.warning(w.span,
                          fmt::format("iptables reads '{}' as class {:x}:{:x}, passing over what follows: written so",
                                      w.text, major, minor),
                          "lenient-value");
    FieldExpression e;
    e.constant = (uint64_t{major} << 16) | minor;
    ctx.action(SetField{MetaSelector{MetaKey::priority}, e}, use.span);
}

// The class whose name, in any case, begins `text`: iptables compares only as many characters as
// the name has (seen: `AF41x` is AF41), and no name begins another.
std::optional<std::pair<std::string_view, uint8_t>> dscp_class(std::string_view text) {
    static const std::pair<std::string_view, uint8_t> classes[] = {
        {"CS0", 0},   {"CS1", 8},   {"CS2", 16},  {"CS3", 24},  {"CS4", 32},  {"CS5", 40},  {"CS6", 48},  {"CS7", 56},
        {"BE", 0},    {"AF11", 10}, {"AF12", 12}, {"AF13", 14}, {"AF21", 18}, {"AF22", 20}, {"AF23", 22}, {"AF31", 26},
        {"AF32", 28}, {"AF33", 30}, {"AF41", 34}, {"AF42", 36}, {"AF43", 38}, {"EF", 46}};
    for (auto& c : classes)
        if (equals_nocase(c.first, text.substr(0, c.first.size()))) return c;
    return std::nullopt;
}

PayloadSelector dscp_field(const LowerContext& ctx) {
    return {ctx.family == Family::ipv4 ? PayloadField::ip_dscp : PayloadField::ip6_dscp};
}

void lower_dscp(const ExtensionUse& use, LowerContext& ctx) {
    std::optional<uint64_t> v;
    if (const OptionUse* o = use.find("set-dscp")) {
        v = ctx.values.number(o->args[0], 0, 63, "DSCP");
    } else {
        const Word& w = use.find("set-dscp-class")->args[0];  // one of the two: the target's option rules
        auto c = dscp_class(w.text);
        if (!c) {
            ctx.diags.error(w.span, fmt::format("unknown DSCP class '{}'", w.text), "bad-value");
            return;
        }
        if (w.text.size() > c->first.size())
            ctx.diags.warning(
                w.span,
                fmt::format("iptables reads '{}' as class {}, passing over what follows: written so", w.text, c->first),
                "lenient-value");
        v = c->second;
    }
    if (!v) return;
    FieldExpression e;
    e.constant = *v;
    ctx.action(SetField{dscp_field(ctx), e}, use.span);
}

void lower_tos(const ExtensionUse& use, LowerContext& ctx) {
    // Each form is tos = (tos & ~mask) ^ value over the whole byte (DSCP and ECN bits).
    std::optional<std::pair<uint32_t, uint32_t>> x;
    static const std::pair<std::string_view, uint8_t> names[] = {{"Minimize-Delay", 0x10},
                                                                 {"Maximize-Throughput", 0x08},
                                                                 {"Maximize-Reliability", 0x04},
                                                                 {"Minimize-Cost", 0x02},
                                                                 {"Normal-Service", 0x00}};
    for (const auto& o : use.options) {
        std::string_view n = o.def->name;
        const Word& w = o.args[0];
        if (n == "set-tos") {
            // Names in any case (seen: `minimize-cost` is 0x02/0x3f), and alone: no mask after them.
            auto it = std::find_if(std::begin(names), std::end(names),
                                   [&](auto& p) { return equals_nocase(p.first, w.text); });
            if (it != std::end(names)) {
                x = std::pair<uint32_t, uint32_t>{it->second, 0x3f};
                continue;
            }
            if (w.text.empty() || !std::isdigit(static_cast<unsigned char>(w.text.front()))) {
                std::vector<std::string_view> known;
                for (const auto& p : names) known.push_back(p.first);
                ctx.diags.error(w.span,
                                fmt::format("unknown TOS name '{}'{} (a name stands alone; a number takes a /mask)",
                                            w.text, did_you_mean(w.text, known)),
                                "bad-value");
                return;
            }
            auto m = ctx.values.mark(w);
            if (!m) return;
            uint32_t mask = w.text.find('/') == std::string::npos ? 0xff : m->second;
            if (m->first > 0xff || mask > 0xff) {
                ctx.diags.error(w.span, fmt::format("TOS value '{}' does not fit in a byte", w.text), "out-of-range");
                return;
            }
            x = std::pair<uint32_t, uint32_t>{m->first, mask};
        } else {
            auto v = ctx.values.number(w, 0, 255, "TOS");
            if (!v) return;
            uint32_t b = static_cast<uint32_t>(*v);
            if (n == "and-tos")
                x = std::pair<uint32_t, uint32_t>{0, ~b & 0xff};
            else if (n == "or-tos")
                x = std::pair<uint32_t, uint32_t>{b, b};
            else
                x = std::pair<uint32_t, uint32_t>{b, 0};
        }
    }
    auto [value, mask] = *x;  // exactly one form is given: the target's option rules
    // The TOS byte is nft's dscp field (six bits) and ecn field (two bits). nft 1.0.6 can set
    // either to a constant but not compute it from its old value, so a field the mask covers
    // in part cannot be written.
    uint32_t dmask = (mask >> 2) & 0x3f, dvalue = (value >> 2) & 0x3f;
    uint32_t emask = mask & 0x03, evalue = value & 0x03;
    bool dscp_partial = dmask != 0x3f && (dmask != 0 || dvalue != 0);
    bool ecn_partial = emask != 0x03 && (emask != 0 || evalue != 0);
    if (dscp_partial || ecn_partial) {
        ctx.untranslatable(use,
                           fmt::format("this TOS change keeps some {} bits and changes others; nft can only set the "
                                       "whole field to a constant",
                                       dscp_partial ? "DSCP" : "ECN"));
        return;
    }
    FieldExpression e;
    if (dmask == 0x3f) {
        e.constant = dvalue;
        ctx.action(SetField{dscp_field(ctx), e}, use.span);
    }
    if (emask == 0x03) {
        e.constant = evalue;
        ctx.action(SetField{PayloadSelector{ctx.family == Family::ipv4 ? PayloadField::ip_ecn : PayloadField::ip6_ecn}, e}, use.span);
    }
}

}  // namespace

extern const Extension notrack_target{"NOTRACK", {}, lower_notrack};
extern const Extension ct_target{"CT",
                                 {{"notrack", 0, false},
                                  {"zone", 1, false},
                                  {"helper", 1, false},
                                  {"ctevents", 1, false},
                                  {"expevents", 1, false},
                                  {"zone-orig", 1, false},
                                  {"zone-reply", 1, false},
                                  {"timeout", 1, false}},
                                 lower_ct};
extern const Extension tcpmss_target{"TCPMSS",
                                     {{"set-mss", 1, false}, {"clamp-mss-to-pmtu", 0, false}},
                                     lower_tcpmss,
                                     {.needs_one_of = {"set-mss", "clamp-mss-to-pmtu"}}};
extern const Extension classify_target{
    "CLASSIFY", {{"set-class", 1, false}}, lower_classify, {.needs_one_of = {"set-class"}}};
extern const Extension dscp_target{"DSCP",
                                   {{"set-dscp", 1, false}, {"set-dscp-class", 1, false}},
                                   lower_dscp,
                                   {.exactly_one_of = {"set-dscp", "set-dscp-class"}}};
extern const Extension tos_target{
    "TOS",
    {{"set-tos", 1, false}, {"and-tos", 1, false}, {"or-tos", 1, false}, {"xor-tos", 1, false}},
    lower_tos,
    {.exactly_one_of = {"set-tos", "and-tos", "or-tos", "xor-tos"}}};

}  // namespace ipt2nft::grammar
