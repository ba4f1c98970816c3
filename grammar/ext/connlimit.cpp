// connlimit match: the connections of the packet's (masked) address, counted in a set of its own.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_connlimit(const ExtensionUse& use, LowerContext& ctx) {
    SetTest t;
    t.action = SetTest::Action::count;
    // --connlimit-upto N is "not above N", and `!` turns either into the other (libxt_connlimit).
    const OptionUse* above = use.find("connlimit-above");
    const OptionUse* limit = above ? above : use.find("connlimit-upto");
    auto n = ctx.values.number(limit->args[0], 0, UINT32_MAX, "connection count");
    if (!n) return;
    t.connections = static_cast<uint32_t>(*n);
    t.inverted = (above == nullptr) != limit->inverted;
    // --connlimit-saddr and --connlimit-daddr: the last one given says which (the source unless).
    bool destination = false;
    for (const OptionUse& o : use.options)
        if (o.def->name == "connlimit-saddr" || o.def->name == "connlimit-daddr")
            destination = o.def->name == "connlimit-daddr";
    bool v4 = ctx.family == Family::ipv4;
    t.key = destination ? (v4 ? PayloadField::ip_daddr : PayloadField::ip6_daddr)
                        : (v4 ? PayloadField::ip_saddr : PayloadField::ip6_saddr);
    if (const OptionUse* o = use.find("connlimit-mask")) {
        unsigned bits = v4 ? 32 : 128;
        auto length = ctx.values.number(o->args[0], 0, bits, "prefix length");
        if (!length) return;
        if (*length != bits) t.mask = mask_of_length(ctx.family, static_cast<unsigned>(*length));
    }
    ctx.stateful(t, use.span);
}

}  // namespace

extern const Extension connlimit_match{"connlimit",
                                       {{"connlimit-upto", 1, true},
                                        {"connlimit-above", 1, true},
                                        {"connlimit-mask", 1, false},
                                        {"connlimit-saddr", 0, false},
                                        {"connlimit-daddr", 0, false}},
                                       lower_connlimit,
                                       {.exactly_one_of = {"connlimit-upto", "connlimit-above"}}};

}  // namespace ipt2nft::grammar
