// SET target: the packet's key added to an ipset (refreshed with --exist) or removed from one.
#include "grammar/ext/ipset_flags.hpp"
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_set_target(const ExtensionUse& use, LowerContext& ctx) {
    if (use.find("map-set")) {
        ctx.untranslatable(use,
                           "--map-set gives the packet the mark, priority or queue its element holds (skbinfo), "
                           "which nft's sets of ipset's elements do not keep: write an nft map instead");
        return;
    }
    std::optional<uint32_t> timeout;
    if (const OptionUse* t = use.find("timeout")) {
        auto n = ctx.values.number(t->args[0], 0, 2147483, "timeout in seconds");
        if (!n) return;
        timeout = static_cast<uint32_t>(*n);
    }
    // xt_SET adds before it deletes when given both.
    if (const OptionUse* add = use.find("add-set")) {
        auto flags = ipset_flags(add->args[1], ctx.diags);
        if (!flags) return;
        auto op = use.find("exist") ? IpsetUpdate::Op::update : IpsetUpdate::Op::add;
        ctx.action(IpsetUpdate{op, add->args[0].text, *flags, timeout}, add->span);
    }
    if (const OptionUse* del = use.find("del-set")) {
        auto flags = ipset_flags(del->args[1], ctx.diags);
        if (!flags) return;
        ctx.action(IpsetUpdate{IpsetUpdate::Op::remove, del->args[0].text, *flags, std::nullopt}, del->span);
    }
}

}  // namespace

extern const Extension set_target{"SET",
                                  {{"add-set", 2, false},
                                   {"del-set", 2, false},
                                   {"map-set", 2, false},
                                   {"timeout", 1, false},
                                   {"exist", 0, false},
                                   {"map-mark", 0, false},
                                   {"map-prio", 0, false},
                                   {"map-queue", 0, false}},
                                  lower_set_target,
                                  {.needs_one_of = {"add-set", "del-set", "map-set"}}};

}  // namespace ipt2nft::grammar
