// TPROXY target: the packet given to a transparent socket, its mark changed, and accepted.
#include <algorithm>

#include "grammar/ext/needs_protocol.hpp"
#include "grammar/extension.hpp"
#include "grammar/target/xmark.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_tproxy(const ExtensionUse& use, LowerContext& ctx) {
    if (!target_requires_protocol(use, ctx, {6, 17})) return;
    // The rule is two in the kernel (split_rule_pairs): a test that keeps state would count twice.
    if (ctx.rule.connectionless_states || std::any_of(ctx.rule.conditions.begin(), ctx.rule.conditions.end(),
                                                      [](const Condition& c) { return c.keeps_state(); })) {
        ctx.untranslatable(use,
                           "nft's tproxy lets a packet no socket takes go on, where TPROXY drops it: the "
                           "translation is two rules of the same tests, and this rule's rate, count, list or "
                           "connectionless state test would be made twice");
        return;
    }
    Tproxy t;
    auto port = ctx.values.port(use.find("on-port")->args[0], ctx.protocol == 6 ? "tcp" : "udp");
    if (!port) return;
    t.port = *port;
    if (const OptionUse* o = use.find("on-ip")) {
        auto address =
            ctx.values.address(o->args[0].text, o->args[0].span, ctx.family, ValueReader::AddressSyntax::resolver);
        if (!address) return;
        // The unspecified address means the address of the interface the packet came in by, as
        // no address at all does.
        if (std::any_of(address->bytes.begin(), address->bytes.end(), [](uint8_t b) { return b != 0; }))
            t.address = *address;
    }
    ctx.action(t, use.span);
    if (const OptionUse* o = use.find("tproxy-mark")) {
        auto mark = ctx.values.mark(o->args[0]);
        if (!mark) return;
        MetaSelector packet{MetaKey::mark};
        ctx.action(SetField{packet, xmark_expression({mark->first, mark->second}, packet)}, o->span);
    }
    ctx.action(Verdict{VerdictKind::accept, {}}, use.span);
}

}  // namespace

extern const Extension tproxy_target{"TPROXY",
                                     {{"on-port", 1, false}, {"on-ip", 1, false}, {"tproxy-mark", 1, false}},
                                     lower_tproxy,
                                     {.needs_one_of = {"on-port"}}};

}  // namespace ipt2nft::grammar
