// owner match: the local socket's user and group.
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <vector>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

// An id or `first-last` (or `first:last`) in numbers, else the whole text as a user or group
// name, as libxt_owner reads it (seen: `1:2` is 1-2, `root` is 0, `root-5` refused).
std::optional<std::pair<uint32_t, uint32_t>> ids_of(std::string_view text, bool user) {
    auto separator = text.find_first_of("-:");
    auto lo = parse_unsigned(text.substr(0, separator));
    auto hi = separator == std::string_view::npos ? lo : parse_unsigned(text.substr(separator + 1));
    // (uid_t)-1 is no id: iptables stops one below.
    if (lo && hi) {
        if (*lo >= UINT32_MAX || *hi >= UINT32_MAX) return std::nullopt;
        return std::pair{static_cast<uint32_t>(*lo), static_cast<uint32_t>(*hi)};
    }
    // The reentrant forms: save files are read on several threads.
    std::string name(text);
    std::vector<char> buffer(16384);
    if (user) {
        passwd entry{}, *found = nullptr;
        if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found)
            return std::pair{found->pw_uid, found->pw_uid};
    } else {
        group entry{}, *found = nullptr;
        if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found)
            return std::pair{found->gr_gid, found->gr_gid};
    }
    return std::nullopt;
}

void lower_owner(const ExtensionUse& use, LowerContext& ctx) {
    for (auto [option, key, user] :
         {std::tuple{"uid-owner", MetaKey::skuid, true}, std::tuple{"gid-owner", MetaKey::skgid, false}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        const Word& w = o->args[0];
        auto ids = ids_of(w.text, user);
        if (!ids || ids->first > ids->second) {
            const char* what = user ? "user" : "group";
            ctx.diags.error(w.span,
                            ids ? fmt::format("{} range '{}' is reversed", what, w.text)
                                : fmt::format("unknown {} '{}' (names are looked up on this machine; ids go "
                                              "from 0 to 4294967294)",
                                              what, w.text),
                            "bad-value");
            continue;
        }
        warn_if_octal(ctx.diags, w.text, w.span, "-:");
        auto [lo, hi] = *ids;
        Value v = number_or_range(lo, hi);
        ctx.match(Compare{MetaSelector{key}, o->inverted ? Op::neq : Op::eq, v, {}}, o->span, HookLimit::local_socket);
    }
    // libxt_owner reads --suppl-groups as a change of the --gid-owner test before it (seen refused
    // by iptables-nft 1.8.9: "you need to use --gid-owner first").
    if (const OptionUse* s = use.find("suppl-groups"); s) {
        const OptionUse* g = use.find("gid-owner");
        if (!g || g->span.begin > s->span.begin) {
            ctx.diags.error(s->span, "--suppl-groups needs --gid-owner before it", "missing-option");
            return;
        }
    }
    if (use.find("socket-exists") || use.find("suppl-groups")) {
        ctx.untranslatable(use, "nft has no test for --socket-exists or supplementary groups");
        return;
    }
    // xt_owner matches a packet without a local socket (a TCP reset or an ICMP error the kernel
    // sends on its own) when every test is negated; nft's meta skuid and skgid match no such
    // packet either way (seen: `! --uid-owner 0` counts those, `meta skuid != 0` does not).
    if (std::all_of(use.options.begin(), use.options.end(), [](const OptionUse& o) { return o.inverted; }))
        ctx.untranslatable(use,
                           "with every test negated, iptables also matches the packets no socket sent (TCP resets "
                           "and ICMP errors of the kernel's own), which nft's meta skuid and skgid cannot match; "
                           "`meta skuid != ID` leaves those out, if that is meant");
}

}  // namespace

extern const Extension owner_match{
    "owner",
    {{"uid-owner", 1, true}, {"gid-owner", 1, true}, {"socket-exists", 0, true}, {"suppl-groups", 0, false}},
    lower_owner,
    {.needs_one_of = {"uid-owner", "gid-owner", "socket-exists"}}};

}  // namespace ipt2nft::grammar
