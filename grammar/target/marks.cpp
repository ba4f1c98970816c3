// MARK and CONNMARK targets: every iptables form reduced to (field & ~mask) ^ value.
#include <fmt/format.h>

#include "grammar/extension.hpp"
#include "grammar/target/xmark.hpp"

namespace ipt2nft::grammar {

namespace {

// --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark: nullopt when none is given.
std::optional<XMark> read_xmark(const ExtensionUse& use, LowerContext& ctx, bool& failed) {
    std::optional<XMark> result;
    for (const auto& o : use.options) {  // one at most: the target's option rules
        std::string_view n = o.def->name;
        if (n != "set-xmark" && n != "set-mark" && n != "and-mark" && n != "or-mark" && n != "xor-mark") continue;
        auto m = ctx.values.mark(o.args[0]);
        if (!m) {
            failed = true;
            return std::nullopt;
        }
        bool has_mask = o.args[0].text.find('/') != std::string::npos;
        if ((n == "and-mark" || n == "or-mark" || n == "xor-mark") && has_mask) {
            ctx.diags.error(o.args[0].span, fmt::format("--{} takes a value without a mask", n), "bad-mark");
            failed = true;
            return std::nullopt;
        }
        auto [v, mask] = *m;
        if (n == "set-xmark")
            result = XMark{v, mask};
        else if (n == "set-mark")
            result = XMark{v, mask | v};
        else if (n == "and-mark")
            result = XMark{0, static_cast<uint32_t>(~v)};
        else if (n == "or-mark")
            result = XMark{v, v};
        else
            result = XMark{v, 0};
    }
    return result;
}

void lower_mark(const ExtensionUse& use, LowerContext& ctx) {
    bool failed = false;
    auto x = read_xmark(use, ctx, failed);
    if (failed) return;
    ctx.action(SetField{MetaSelector{MetaKey::mark}, xmark_expression(*x, MetaSelector{MetaKey::mark})}, use.span);
}

std::optional<uint32_t> mask_option(const ExtensionUse& use, LowerContext& ctx, std::string_view name, bool& failed) {
    const OptionUse* o = use.find(name);
    if (!o) return std::nullopt;
    auto v = ctx.values.number(o->args[0], 0, UINT32_MAX, fmt::format("--{}", name));
    if (!v) failed = true;
    return v ? std::optional<uint32_t>(static_cast<uint32_t>(*v)) : std::nullopt;
}

void lower_connmark(const ExtensionUse& use, LowerContext& ctx) {
    bool failed = false;
    auto x = read_xmark(use, ctx, failed);
    auto mask = mask_option(use, ctx, "mask", failed);
    auto nfmask = mask_option(use, ctx, "nfmask", failed);
    auto ctmask = mask_option(use, ctx, "ctmask", failed);
    const OptionUse* left = use.find("left-shift-mark");
    const OptionUse* right = use.find("right-shift-mark");
    if (failed) return;
    uint32_t nf = nfmask.value_or(mask.value_or(UINT32_MAX));
    uint32_t ct = ctmask.value_or(mask.value_or(UINT32_MAX));
    bool save = use.find("save-mark");  // else --restore-mark, when no x: exactly one is given
    unsigned shift = 0;
    if (left || right) {
        auto s = ctx.values.number((left ? left : right)->args[0], 0, 31, "shift");
        if (!s) return;
        shift = static_cast<unsigned>(*s);
    }
    // xt_CONNMARK shifts the value it computed (set) or the bits it takes (save, restore).
    auto shifted = [&](FieldExpression e) {
        if (e.constant)
            *e.constant = right ? (*e.constant >> shift) : ((*e.constant << shift) & UINT32_MAX);
        else if (right)
            e.right_shift = shift;
        else if (left)
            e.left_shift = shift;
        return e;
    };
    if (x) {
        ctx.action(SetField{CtSelector{CtKey::mark}, shifted(xmark_expression(*x, CtSelector{CtKey::mark}))}, use.span);
        return;
    }
    // save: ctmark = (ctmark & ~ctmask) ^ (mark & nfmask); restore swaps the roles.
    uint32_t keep_mask = save ? ct : nf;
    uint32_t take_mask = save ? nf : ct;
    if (keep_mask != UINT32_MAX) {
        ctx.untranslatable(
            use, "nft cannot combine bits of the packet mark with bits of the connection mark in one statement");
        return;
    }
    FieldExpression e;
    Selector packet = MetaSelector{MetaKey::mark}, connection = CtSelector{CtKey::mark};
    e.source = save ? packet : connection;
    if (take_mask != UINT32_MAX) e.and_mask = take_mask;
    ctx.action(SetField{save ? connection : packet, shifted(e)}, use.span);
}

}  // namespace

extern const Extension mark_target{"MARK",
                                   {{"set-xmark", 1, false},
                                    {"set-mark", 1, false},
                                    {"and-mark", 1, false},
                                    {"or-mark", 1, false},
                                    {"xor-mark", 1, false}},
                                   lower_mark,
                                   {.exactly_one_of = {"set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark"}}};
extern const Extension connmark_target{
    "CONNMARK",
    {{"set-xmark", 1, false},
     {"set-mark", 1, false},
     {"and-mark", 1, false},
     {"or-mark", 1, false},
     {"xor-mark", 1, false},
     {"save-mark", 0, false},
     {"restore-mark", 0, false},
     {"mask", 1, false},
     {"nfmask", 1, false},
     {"ctmask", 1, false},
     {"left-shift-mark", 1, false},
     {"right-shift-mark", 1, false}},
    lower_connmark,
    {.exactly_one_of = {"set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark", "save-mark", "restore-mark"},
     .exclusive = {{"mask", "nfmask"}, {"mask", "ctmask"}, {"left-shift-mark", "right-shift-mark"}}}};

}  // namespace ipt2nft::grammar
