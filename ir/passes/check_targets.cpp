// check_targets: targets the kernel refuses in a table or hook, also through user chains,
// since the kernel validates every chain reachable from a hook.
#include <fmt/format.h>

#include <algorithm>

#include "ir/netfilter_tables.hpp"
#include "ir/passes/checks.hpp"

namespace ipt2nft {

namespace {

struct TargetRule {
    std::string_view target;
    std::string_view table;      // empty: any table
    std::vector<Hook> hooks;     // empty: any hook
    bool checked_through_jumps;  // false where the kernel only checks base chains
};

// Read off a kernel by loading each target in each table and chain with iptables-nft-restore,
// directly and from a user chain; tests/kernel/hook_rules.py repeats that probe.
const std::vector<TargetRule>& target_rules() {
    static const std::vector<TargetRule> rules{
        {"MASQUERADE", "nat", {Hook::postrouting}, true},
        {"SNAT", "nat", {Hook::postrouting, Hook::input}, true},
        {"DNAT", "nat", {Hook::prerouting, Hook::output}, true},
        {"NETMAP", "nat", {Hook::prerouting, Hook::output, Hook::postrouting, Hook::input}, true},
        {"REDIRECT", "nat", {Hook::prerouting, Hook::output}, true},
        {"REJECT", "filter", {}, true},
        {"NOTRACK", "raw", {}, true},
        {"CT", "raw", {}, true},
        {"DSCP", "mangle", {}, true},
        {"TOS", "mangle", {}, true},
        {"TTL", "mangle", {}, true},
        {"HL", "mangle", {}, true},
        {"CLASSIFY", "", {Hook::forward, Hook::output, Hook::postrouting}, true},
        {"TCPMSS --clamp-mss-to-pmtu", "", {Hook::forward, Hook::output, Hook::postrouting}, false},
        {"SYNPROXY", "", {Hook::input, Hook::forward}, true},
        {"TPROXY", "mangle", {Hook::prerouting}, true},
    };
    return rules;
}

std::string rule_key(const Rule& r) {
    if (r.target != "TCPMSS") return std::string(r.target);
    for (const auto& s : r.statements)
        if (auto* m = std::get_if<TcpMss>(&s.action); m && !m->size) return "TCPMSS --clamp-mss-to-pmtu";
    return std::string(r.target);
}

}  // namespace

void check_targets(const Table& table, const ChainGraph& graph, Diagnostics& diags) {
    for (size_t c = 0; c < table.chains.size(); ++c) {
        const Chain& ch = table.chains[c];
        for (const auto& r : ch.rules) {
            std::string key = rule_key(r);
            auto it =
                std::find_if(target_rules().begin(), target_rules().end(), [&](auto& tr) { return tr.target == key; });
            if (it == target_rules().end()) continue;
            if (!it->table.empty() && it->table != table.name) {
                diags.error(r.origin.target_span,
                            fmt::format("the {} target is only valid in the {} table, not in {}", r.target, it->table,
                                        table.name),
                            "target-not-allowed");
                continue;
            }
            if (it->hooks.empty()) continue;
            auto h = graph.hook_outside(c, it->hooks);
            if (!h) continue;
            std::string where = ch.builtin ? fmt::format("chain {}", ch.name)
                                           : fmt::format("chain {}, reached from {}", ch.name, hook_chain_name(*h));
            std::string message =
                fmt::format("{} is only valid in {}; here it is in {}", key, hook_chain_names(it->hooks), where);
            if (ch.builtin || it->checked_through_jumps)
                diags.error(r.origin.target_span, message, "target-not-allowed");
            else
                diags.warning(r.origin.target_span, message + " and will not act there", "target-not-allowed");
        }
    }
}

}  // namespace ipt2nft
