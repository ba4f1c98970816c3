// recent match: xt_recent's lists of addresses, as named dynamic sets with a timeout.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

constexpr size_t name_limit = 199;  // XT_RECENT_NAME_LEN less its NUL

// The one of --set, --rcheck, --update, --remove given (the option rules make it one).
const OptionUse* command_of(const ExtensionUse& use) {
    for (const char* name : {"set", "rcheck", "update", "remove"})
        if (const OptionUse* o = use.find(name)) return o;
    return nullptr;
}

// What nft cannot say of a list: how many times an address was seen, and with which TTL; and
// an address removed, which nft_set_hash only marks dead until its garbage collection, so that
// adding it again before then fails and ends the rule (seen: a --set after a --remove matched 96
// of 205 packets).
bool translatable(const ExtensionUse& use, const OptionUse& command, LowerContext& ctx) {
    if (command.def->name == "remove") {
        ctx.untranslatable(use,
                           "nft's set statement can delete an address, but adding it back soon after then fails "
                           "(the kernel keeps it, dead, until it collects garbage): --remove has no faithful "
                           "translation");
        return false;
    }
    if (use.find("hitcount")) {
        ctx.untranslatable(use,
                           "nft keeps no count of an address's sightings within --seconds: --hitcount has no "
                           "nft translation (a meter with `limit rate over` is the nearest, and counts differently)");
        return false;
    }
    if (use.find("rttl")) {
        ctx.untranslatable(use, "nft keeps no TTL with a set's element: --rttl has no nft translation");
        return false;
    }
    if (command.inverted && command.def->name != "rcheck") {
        ctx.untranslatable(use, fmt::format("! --{} changes the list when the rule does not match, which an nft rule "
                                            "cannot do: only ! --rcheck has a translation",
                                            command.def->name));
        return false;
    }
    return true;
}

void lower_recent(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* command = command_of(use);
    if (!command || !translatable(use, *command, ctx)) return;
    SetTest t;
    t.action = command->def->name == "set"      ? SetTest::Action::add
               : command->def->name == "rcheck" ? SetTest::Action::check
                                                : SetTest::Action::check_update;
    t.inverted = command->inverted;
    t.set = "DEFAULT";
    if (const OptionUse* o = use.find("name")) {
        const Word& w = o->args[0];
        if (w.text.empty() || w.text.size() > name_limit) {
            ctx.diags.error(w.span, fmt::format("a recent list's name has 1 to {} characters", name_limit),
                            "bad-value");
            return;
        }
        t.set = w.text;  // views the input or the sources' store already
    }
    // --rsource and --rdest: the last one given says which address (iptables keeps the last).
    bool destination = false;
    for (const OptionUse& o : use.options)
        if (o.def->name == "rsource" || o.def->name == "rdest") destination = o.def->name == "rdest";
    bool v4 = ctx.family == Family::ipv4;
    t.key = destination ? (v4 ? PayloadField::ip_daddr : PayloadField::ip6_daddr)
                        : (v4 ? PayloadField::ip_saddr : PayloadField::ip6_saddr);
    if (const OptionUse* o = use.find("mask")) {
        auto mask =
            ctx.values.address(o->args[0].text, o->args[0].span, ctx.family, ValueReader::AddressSyntax::numeric);
        if (!mask) return;
        if (*mask != mask_of_length(ctx.family, v4 ? 32 : 128)) t.mask = mask;
    }
    if (const OptionUse* o = use.find("seconds")) {
        auto seconds = ctx.values.number(o->args[0], 1, UINT32_MAX, "--seconds");
        if (!seconds) return;
        t.seconds = static_cast<uint32_t>(*seconds);
    }
    ctx.stateful(t, use.span);
}

}  // namespace

// xt_recent's own checks: one command; --seconds and the like for lookups only; --reap with
// --seconds.
extern const Extension recent_match{"recent",
                                    {{"set", 0, true},
                                     {"rcheck", 0, true},
                                     {"update", 0, true},
                                     {"remove", 0, true},
                                     {"seconds", 1, false},
                                     {"reap", 0, false},
                                     {"hitcount", 1, false},
                                     {"rttl", 0, false},
                                     {"name", 1, false},
                                     {"rsource", 0, false},
                                     {"rdest", 0, false},
                                     {"mask", 1, false}},
                                    lower_recent,
                                    {.exactly_one_of = {"set", "rcheck", "update", "remove"},
                                     .exclusive = {{"set", "seconds"},
                                                   {"set", "hitcount"},
                                                   {"set", "rttl"},
                                                   {"set", "reap"},
                                                   {"remove", "seconds"},
                                                   {"remove", "hitcount"},
                                                   {"remove", "rttl"},
                                                   {"remove", "reap"}},
                                     .requires_ = {{"reap", "seconds"}}}};

}  // namespace ipt2nft::grammar
