// owner match: the local socket's user and group.
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <vector>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

std::optional<uint32_t> id_of(std::string_view text, bool user) {
    // (uid_t)-1 is no id: iptables stops one below.
    if (auto v = parse_unsigned(text)) return *v < UINT32_MAX ? std::optional(static_cast<uint32_t>(*v)) : std::nullopt;
    // The reentrant forms: save files are read on several threads.
    std::string name(text);
    std::vector<char> buffer(16384);
    if (user) {
        passwd entry{}, *found = nullptr;
        if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found) return found->pw_uid;
    } else {
        group entry{}, *found = nullptr;
        if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found) return found->gr_gid;
    }
    return std::nullopt;
}

void lower_owner(const ExtensionUse& use, LowerContext& ctx) {
    for (auto [option, key, user] : {std::tuple{"uid-owner", "skuid", true}, std::tuple{"gid-owner", "skgid", false}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        const Word& w = o->args[0];
        auto dash = w.text.find('-');
        auto lo = id_of(std::string_view(w.text).substr(0, dash), user);
        auto hi = dash == std::string::npos ? lo : id_of(std::string_view(w.text).substr(dash + 1), user);
        if (!lo || !hi || *lo > *hi) {
            const char* what = user ? "user" : "group";
            ctx.diags.error(w.span,
                            lo && hi ? fmt::format("{} range '{}' is reversed", what, w.text)
                                     : fmt::format("unknown {} '{}' (names are looked up on this machine; ids go "
                                                   "from 0 to 4294967294)",
                                                   what, w.text),
                            "bad-value");
            continue;
        }
        Value v = *lo == *hi ? Value(uint64_t{*lo}) : make_range(uint64_t{*lo}, uint64_t{*hi});
        ctx.match(Compare{MetaSelector{key}, o->inverted ? Op::neq : Op::eq, v, {}}, o->span, HookLimit::local_socket);
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
