// osf: the OS of a TCP SYN by its loaded fingerprints, as nft's `osf name "GENRE"`.
#include <fmt/format.h>

#include "grammar/ext/needs_protocol.hpp"

namespace ipt2nft::grammar {

namespace {

// nft's osf register holds 16 bytes of the genre, NUL included.
constexpr size_t longest_genre = 15;

void lower_osf(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 6, "tcp")) return;
    const OptionUse* genre = use.find("genre");
    if (!genre) return;
    if (use.find("log"))
        return ctx.untranslatable(use,
                                  "with --log xt_osf logs and matches a packet any loaded fingerprint knows, "
                                  "whatever its genre, and nft's osf logs nothing: write `osf name` and a log "
                                  "statement in nft, or keep the rule in iptables");
    if (genre->inverted)
        return ctx.untranslatable(use,
                                  "the kernel's xt_osf ignores '!' (it matches as without it): write the rule "
                                  "without '!' if that is what it does for you, or keep it in iptables");
    std::string_view name = genre->args[0].text;
    if (name.size() > longest_genre)
        return ctx.untranslatable(
            use, fmt::format("nft's osf compares {} characters of a genre, and '{}' is longer", longest_genre, name));
    OsfSelector selector;
    // xt_osf checks an equal TTL for 0, none for 2, and a lower one for any other number.
    if (const OptionUse* ttl = use.find("ttl")) {
        auto check = ctx.values.number(ttl->args[0], 0, UINT32_MAX, "osf TTL check");
        if (!check) return;
        selector.ttl = *check == 0 ? 0 : *check == 2 ? 2 : 1;
    }
    ctx.diags.warning(genre->span,
                      fmt::format("nft's osf names the genre of the first loaded fingerprint a SYN matches, where "
                                  "xt_osf matches if any fingerprint of genre {} does: they differ for a SYN that "
                                  "fingerprints of two genres match",
                                  name),
                      "osf-first-fingerprint");
    ctx.match(Compare{selector, Op::eq, InterfaceName{name, false}, {}}, genre->span, HookLimit::received_syn);
}

}  // namespace

extern const Extension osf_match{"osf",
                                 {{"genre", 1, true}, {"ttl", 1, false}, {"log", 1, false}},
                                 lower_osf,
                                 {.needs_one_of = {"genre"}},
                                 Family::ipv4};

}  // namespace ipt2nft::grammar
