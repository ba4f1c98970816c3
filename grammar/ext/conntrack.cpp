// conntrack and state matches: connection state, status, tuples, expiry and direction.
#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "grammar/ext/ports.hpp"
#include "ir/protocols.hpp"

namespace ipt2nft::grammar {

namespace {

// How a name of a list is found: whole, or as the first of `known` (in libxt_conntrack's and
// libxt_state's order) that it begins, as those read states and statuses (strncasecmp with the
// word's length; seen: N is NEW, ASS is ASSURED).
enum class NameMatch { whole, beginning };

// Splits a comma list, checking each word against `known`; nullopt after an error.
std::optional<std::vector<std::string>> name_list(const Word& w, std::initializer_list<std::string_view> known,
                                                  std::string_view what, LowerContext& ctx,
                                                  NameMatch match = NameMatch::whole) {
    std::vector<std::string> out;
    std::span<const std::string_view> names(known.begin(), known.size());
    for (const Word& item : split_list(w)) {
        std::optional<size_t> found;
        if (match == NameMatch::beginning)
            found = first_begun_by(names, item.text);
        else if (auto equal = std::find_if(names.begin(), names.end(),
                                           [&](std::string_view k) { return equals_nocase(k, item.text); });
                 equal != names.end())
            found = static_cast<size_t>(equal - names.begin());
        if (!found) {
            ctx.diags.error(item.span,
                            fmt::format("unknown {} '{}'{}", what, item.text,
                                        did_you_mean(lower_case(item.text),
                                                     std::vector<std::string_view>(known.begin(), known.end()))),
                            "bad-value");
            return std::nullopt;
        }
        std::string name(names[*found]);
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
}

// The kernel's bit of a --ctstate or --ctstatus word: ct state (NF_CT_STATE_*_BIT) for the
// states, ct status (IPS_*) for SNAT, DNAT and the statuses.
uint64_t kernel_bit(std::string_view name) {
    constexpr std::pair<std::string_view, uint64_t> bits[] = {
        {"invalid", 1},    {"established", 2}, {"related", 4},   {"new", 8},   {"untracked", 64}, {"expected", 1},
        {"seen_reply", 2}, {"assured", 4},     {"confirmed", 8}, {"snat", 16}, {"dnat", 32}};
    for (auto [word, bit] : bits)
        if (word == name) return bit;
    return 0;
}

// The bits of a list, in its order (as nft lists them back).
ValueSet as_set(const std::vector<std::string>& names) {
    ValueSet s;
    for (auto& n : names) s.elements.push_back(kernel_bit(n));
    return s;
}

// --ctstate/--state: INVALID, NEW, ... are ct state bits; SNAT and DNAT are ct status bits.
void lower_state(const ExtensionUse& use, const OptionUse& o, LowerContext& ctx, bool allow_nat) {
    std::initializer_list<std::string_view> names = {"invalid",   "new",  "established", "related",
                                                     "untracked", "snat", "dnat"};
    std::initializer_list<std::string_view> plain = {"invalid", "new", "established", "related", "untracked"};
    auto list = name_list(o.args[0], allow_nat ? names : plain, "connection state", ctx, NameMatch::beginning);
    if (!list) return;
    std::vector<std::string> states, status;
    for (auto& n : *list) (n == "snat" || n == "dnat" ? status : states).push_back(n);
    if (!states.empty() && !status.empty() && !o.inverted) {
        // The match is true when any listed bit is set; nft cannot or a ct state test with a
        // ct status test inside one rule. Negated, it is "none of them": two tests in a row.
        ctx.untranslatable(use, "mixing SNAT/DNAT with other states needs an 'or' of ct state and ct status");
        return;
    }
    Op op = o.inverted ? Op::no_flag : Op::any_flag;
    if (!states.empty()) ctx.match(Compare{CtSelector{CtKey::state}, op, as_set(states), {}}, o.span);
    if (!status.empty()) ctx.match(Compare{CtSelector{CtKey::status}, op, as_set(status), {}}, o.span);
}

// `-p tcp ... --ctproto udp`: nft takes the protocol of a rule's statements (`reject with tcp
// reset`) from the last protocol it tested, here the connection's, and refuses the rule. The
// packet's protocol is tested again after the connection's: the same rule, and one nft takes.
// Only an ICMP error belongs to a connection of another protocol (a related one).
void restate_protocol(const OptionUse& o, uint8_t connection, LowerContext& ctx) {
    if (o.inverted || !ctx.protocol || *ctx.protocol == 0 || connection == *ctx.protocol) return;
    if (*ctx.protocol != 1 && *ctx.protocol != 58)
        ctx.diags.warning(o.span, "no packet has this connection protocol and the -p protocol: the rule never applies",
                          "never-matches");
    Selector packet = ctx.family == Family::ipv4 ? Selector{PayloadSelector{PayloadField::ip_protocol}}
                                                 : Selector{MetaSelector{MetaKey::l4proto}};
    ctx.match(Compare{packet, Op::eq, uint64_t{*ctx.protocol}, {}}, ctx.protocol_span);
}

// The kinds of state a --ctstate list names.
struct StateNames {
    bool invalid = false, untracked = false, nat = false, connected = false;
};

StateNames state_names(const OptionUse& state) {
    StateNames names;
    for (const Word& item : split_list(state.args[0])) {
        std::string name = lower_case(item.text);
        names.invalid = names.invalid || name == "invalid";
        names.untracked = names.untracked || name == "untracked";
        names.nat = names.nat || name == "snat" || name == "dnat";
        names.connected = names.connected || (name != "invalid" && name != "untracked");
    }
    return names;
}

void lower_connection_tests(const ExtensionUse& use, LowerContext& ctx) {
    if (auto* o = use.find("ctdir")) {
        auto d = name_list(o->args[0], {"original", "reply"}, "direction", ctx);
        if (d && d->size() == 1)
            ctx.match(Compare{CtSelector{CtKey::direction}, Op::eq, uint64_t{d->front() == "reply"}, {}}, o->span);
        else if (d)
            ctx.diags.error(o->args[0].span, "--ctdir takes one direction", "bad-value");
    }
    const OptionUse* ctproto = use.find("ctproto");
    uint8_t connection = 0;  // the connection's protocol, when read_connection
    bool read_connection = false;
    if (ctproto)
        if (auto p = ctx.values.protocol(ctproto->args[0])) {
            connection = *p;
            read_connection = true;
            ctx.match(Compare{CtSelector{CtKey::protocol, CtDirection::original},
                              ctproto->inverted ? Op::neq : Op::eq,
                              uint64_t{connection},
                              {}},
                      ctproto->span);
        }
    if (auto* o = use.find("ctstate")) lower_state(use, *o, ctx, true);
    if (auto* o = use.find("ctstatus")) {
        auto list = name_list(o->args[0], {"none", "expected", "seen_reply", "assured", "confirmed"},
                              "connection status", ctx, NameMatch::beginning);
        if (list) {
            // NONE adds no bit to the mask: beside other bits it changes nothing.
            list->erase(std::remove(list->begin(), list->end(), "none"), list->end());
            if (list->empty()) {
                // xt_conntrack tests (status & mask) != 0: with no bits that never holds, and
                // negated it holds for every tracked packet, even one whose status is still 0.
                ctx.match(Compare{CtSelector{CtKey::status}, o->inverted ? Op::no_flag : Op::any_flag, uint64_t{0}, {}},
                          o->span);
            } else {
                ctx.match(
                    Compare{CtSelector{CtKey::status}, o->inverted ? Op::no_flag : Op::any_flag, as_set(*list), {}},
                    o->span);
            }
        }
    }
    if (auto* o = use.find("ctexpire")) {
        const Word& w = o->args[0];
        auto colon = w.text.find(':');
        auto lo = parse_unsigned(std::string_view(w.text).substr(0, colon));
        auto hi = colon == std::string::npos ? lo : parse_unsigned(std::string_view(w.text).substr(colon + 1));
        // xt_conntrack compares whole seconds left (the time left in jiffies divided by HZ), nft
        // the milliseconds left: N seconds are N000 to N999 ms. nft holds them in 32 bits,
        // 4294967 s at most: no connection waits longer, so a top above that is that; a bottom
        // above it cannot be written.
        constexpr uint64_t nft_max_seconds = UINT32_MAX / 1000;
        if (!lo || !hi || *lo > UINT32_MAX || *hi > UINT32_MAX || *lo > *hi) {
            ctx.diags.error(w.span, fmt::format("'{}' is not a valid expiry (seconds or min:max)", w.text),
                            "bad-value");
        } else if (*lo > nft_max_seconds) {
            ctx.untranslatable(use, fmt::format("nft compares connection expiry up to {} seconds", nft_max_seconds));
        } else {
            warn_if_octal(ctx.diags, w.text, w.span, ":");
            uint64_t top = std::min<uint64_t>(*hi * 1000 + 999, UINT32_MAX);
            ctx.match(
                Compare{CtSelector{CtKey::expiration}, o->inverted ? Op::neq : Op::eq, make_range(*lo * 1000, top), {}},
                o->span);
        }
    }
    // The keys of one family's addresses (`ct original ip daddr`), not the family-less ones
    // (`ct original daddr`): nft lists the latter with a prefix as `0.192.168.1`, which does not
    // load again; the former lists as written.
    bool v4 = ctx.family == Family::ipv4;
    using enum CtDirection;
    CtKey src = v4 ? CtKey::src_ip : CtKey::src_ip6, dst = v4 ? CtKey::dst_ip : CtKey::dst_ip6;
    for (auto [option, dir, key] : {std::tuple{"ctorigsrc", original, src}, std::tuple{"ctorigdst", original, dst},
                                    std::tuple{"ctreplsrc", reply, src}, std::tuple{"ctrepldst", reply, dst}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        if (auto p = ctx.values.prefix(o->args[0].text, o->args[0].span, ctx.family))
            ctx.match(Compare{CtSelector{key, dir}, o->inverted ? Op::neq : Op::eq, *p, {}}, o->span);
    }
    for (auto [option, dir, key] :
         {std::tuple{"ctorigsrcport", original, CtKey::proto_src},
          std::tuple{"ctorigdstport", original, CtKey::proto_dst}, std::tuple{"ctreplsrcport", reply, CtKey::proto_src},
          std::tuple{"ctrepldstport", reply, CtKey::proto_dst}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        // A packet of a protocol with ports belongs to a connection of that protocol, whose ports
        // nft then reads in the context `-p` gives; an ICMP error belongs to the connection it
        // reports on, which may be of any protocol.
        if (!ctproto && !(ctx.protocol && has_ports(*ctx.protocol))) {
            ctx.untranslatable(use, fmt::format("nft reads a conntrack port only for a known protocol: --{} needs "
                                                "--ctproto or -p of a protocol with ports here",
                                                option));
            continue;
        }
        if (auto r = ctx.values.port_range(o->args[0], any_protocol))
            ctx.match(
                Compare{CtSelector{key, dir}, o->inverted ? Op::neq : Op::eq, number_or_range(r->first, r->second), {}},
                o->span);
    }
    if (read_connection) restate_protocol(*ctproto, connection, ctx);
}

// iptables reads the values of the options the translation passes over all the same: their errors
// are reported, and nothing else of them is kept.
void report_value_errors(const ExtensionUse& use, LowerContext& ctx) {
    ExtensionUse others = use;
    std::erase_if(others.options, [](const OptionUse& o) { return o.def->name == std::string_view("ctstate"); });
    Diagnostics heard;
    ValueReader values(heard);
    Rule scratch;
    LowerContext reading{ctx.family, ctx.protocol,      ctx.protocol_inverted, heard, values, ctx.store,
                         scratch,    ctx.protocol_span, ctx.written_protocol};
    lower_connection_tests(others, reading);
    for (const Diagnostic& d : heard.all())
        if (d.severity == Severity::error) ctx.diags.error(d.span, d.message, d.code);
}

// xt_conntrack looks at a packet without a connection (INVALID, UNTRACKED) through --ctstate
// alone and passes over its other options, where nft's ct tests but `ct state` fail on it (seen:
// `--ctstate UNTRACKED --ctproto tcp` counts an untracked UDP packet, and `! --ctstate SNAT`
// every untracked one). When the state test lets such packets through and the match tests more,
// the rule says so (Rule::connectionless_states) and marks the match's conditions; when only
// such packets pass, the state test alone is the match.
void lower_conntrack(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* state = use.find("ctstate");
    uint8_t passing = 0;
    if (state) {
        StateNames names = state_names(*state);
        if (names.nat || use.options.size() > 1)
            passing = (names.invalid != state->inverted ? Rule::connectionless_invalid : 0) |
                      (names.untracked != state->inverted ? Rule::connectionless_untracked : 0);
        if (passing && !state->inverted && !names.connected) {
            ctx.diags.warning(state->span,
                              "a packet in these states has no connection, and xt_conntrack tests no other option "
                              "for it: translated as this state test alone",
                              "ignored-option");
            report_value_errors(use, ctx);
            lower_state(use, *state, ctx, true);
            return;
        }
    }
    size_t first = ctx.rule.conditions.size();
    lower_connection_tests(use, ctx);
    if (!passing) return;
    ctx.rule.connectionless_states = passing;
    for (size_t i = first; i < ctx.rule.conditions.size(); ++i) ctx.rule.conditions[i].of_conntrack_match = true;
}

void lower_state_match(const ExtensionUse& use, LowerContext& ctx) {
    if (auto* o = use.find("state")) lower_state(use, *o, ctx, false);
}

}  // namespace

extern const Extension conntrack_match{"conntrack",
                                       {{"ctstate", 1, true},
                                        {"ctproto", 1, true},
                                        {"ctorigsrc", 1, true},
                                        {"ctorigdst", 1, true},
                                        {"ctreplsrc", 1, true},
                                        {"ctrepldst", 1, true},
                                        {"ctorigsrcport", 1, true},
                                        {"ctorigdstport", 1, true},
                                        {"ctreplsrcport", 1, true},
                                        {"ctrepldstport", 1, true},
                                        {"ctstatus", 1, true},
                                        {"ctexpire", 1, true},
                                        {"ctdir", 1, false}},
                                       lower_conntrack,
                                       {.needs_an_option = true}};

extern const Extension state_match{"state", {{"state", 1, true}}, lower_state_match, {.needs_one_of = {"state"}}};

}  // namespace ipt2nft::grammar
