// check_match_hooks: matches the kernel takes in some hooks only, also through user chains.
// Read off a kernel with iptables-nft-restore, each match in each table and chain, directly and
// from a user chain; tests/kernel/hook_rules.py repeats that probe.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ir/netfilter_tables.hpp"
#include "ir/passes/checks.hpp"

namespace ipt2nft {

namespace {

struct MatchHooks {
    HookLimit limit;
    std::string_view match;
    std::vector<Hook> hooks;
    // Where the kernel itself does not look through jumps, nft still refuses the translation
    // (`fib ... iif` in a chain reached from OUTPUT): the reason is said then.
    std::string_view through_jumps;
    // The kernel checks the hooks of a base chain's rule only (nft_compat's xt modules): in a user
    // chain reached from elsewhere the rule is taken, and the translation never matches there.
    bool base_chains_only = false;
    // The tables the kernel takes it in (xt_rpfilter's check); empty: any.
    std::vector<std::string_view> tables = {};
};

const std::vector<MatchHooks>& match_hooks() {
    static const std::vector<MatchHooks> limits{
        {HookLimit::local_socket, "-m owner", {Hook::output, Hook::postrouting}, ""},
        {HookLimit::received_frame, "-m mac", {Hook::prerouting, Hook::input, Hook::forward}, ""},
        {HookLimit::input_interface,
         "--limit-iface-in",
         {Hook::prerouting, Hook::input, Hook::forward},
         "iptables-nft takes it in a user chain, but nft refuses `fib ... iif` there"},
        {HookLimit::output_interface,
         "--limit-iface-out",
         {Hook::forward, Hook::output, Hook::postrouting},
         "iptables-nft takes it in a user chain, but nft refuses `fib ... oif` there"},
        {HookLimit::input_group, "-m devgroup --src-group", {Hook::prerouting, Hook::input, Hook::forward}, "", true},
        {HookLimit::output_group,
         "-m devgroup --dst-group",
         {Hook::forward, Hook::output, Hook::postrouting},
         "",
         true},
        {HookLimit::socket_cgroup, "-m cgroup", {Hook::input, Hook::output, Hook::postrouting}, ""},
        {HookLimit::routed, "-m realm", {Hook::input, Hook::forward, Hook::output, Hook::postrouting}, ""},
        {HookLimit::policy_in,
         "-m policy --dir in",
         {Hook::prerouting, Hook::input, Hook::forward},
         "iptables-nft takes it in a user chain, but nft refuses `meta secpath` there"},
        {HookLimit::policy_out,
         "-m policy --dir out",
         {Hook::forward, Hook::output, Hook::postrouting},
         "iptables-nft takes it in a user chain, where iptables-legacy refuses it as xt_policy does in INPUT and "
         "PREROUTING (before routing a packet has no route to read)"},
        {HookLimit::reverse_path, "-m rpfilter", {Hook::prerouting}, "", false, {"raw", "mangle"}},
        {HookLimit::received_syn, "-m osf", {Hook::prerouting, Hook::input, Hook::forward}, ""},
    };
    return limits;
}

}  // namespace

void check_match_hooks(const Table& table, const ChainGraph& graph, Diagnostics& diags) {
    for (size_t c = 0; c < table.chains.size(); ++c) {
        const Chain& ch = table.chains[c];
        for (const auto& r : ch.rules)
            for (const auto& condition : r.conditions) {
                if (condition.hook_limit == HookLimit::none) continue;
                const MatchHooks& m = *std::find_if(match_hooks().begin(), match_hooks().end(),
                                                    [&](auto& l) { return l.limit == condition.hook_limit; });
                if (!m.tables.empty() && std::find(m.tables.begin(), m.tables.end(), table.name) == m.tables.end()) {
                    diags.error(condition.span,
                                fmt::format("{} is only valid in the {} tables; here it is in the {} table", m.match,
                                            fmt::join(m.tables, " and "), table.name),
                                "match-not-allowed");
                    continue;
                }
                auto h = graph.hook_outside(c, m.hooks);
                if (!h) continue;
                if (m.base_chains_only && !ch.builtin) {
                    diags.warning(condition.span,
                                  fmt::format("{} never matches in chain {}, reached from {}: the kernel reads it in "
                                              "{} only (iptables takes it in a user chain; the translation never "
                                              "matches there)",
                                              m.match, ch.name, hook_chain_name(*h), hook_chain_names(m.hooks)),
                                  "never-matches");
                    continue;
                }
                std::string message = fmt::format("{} is only valid in {}; here it is in chain {}", m.match,
                                                  hook_chain_names(m.hooks), ch.name);
                if (!ch.builtin) message += fmt::format(", reached from {}", hook_chain_name(*h));
                if (!ch.builtin && !m.through_jumps.empty()) message += fmt::format(" ({})", m.through_jumps);
                diags.error(condition.span, message, "match-not-allowed");
            }
    }
}

}  // namespace ipt2nft
