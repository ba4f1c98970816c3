// NOTRACK and CT targets: a packet left untracked, or its connection's zone and helper.
#include <fmt/format.h>

#include <algorithm>

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

}  // namespace ipt2nft::grammar
