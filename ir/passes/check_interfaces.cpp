// check_interfaces: -i has no meaning on the way out, -o none on the way in.
#include <fmt/format.h>

#include "ir/netfilter_tables.hpp"
#include "ir/passes/checks.hpp"

namespace ipt2nft {

void check_interfaces(const Table& table, const ChainGraph& graph, Diagnostics& diags) {
    for (size_t c = 0; c < table.chains.size(); ++c) {
        const Chain& ch = table.chains[c];
        if (!graph.reached(c)) continue;
        // Reached only from hooks where packets have no input (output) interface.
        constexpr Hook outbound[] = {Hook::output, Hook::postrouting};
        constexpr Hook inbound[] = {Hook::prerouting, Hook::input};
        bool no_in = !graph.hook_outside(c, outbound);
        bool no_out = !graph.hook_outside(c, inbound);
        for (const auto& r : ch.rules) {
            // iptables refuses these in built-in chains; in a user chain the kernel takes the
            // rule, which then never matches.
            if (r.has_in_interface && no_in) {
                std::string m = fmt::format("-i cannot match in {}: packets there have no input interface", ch.name);
                if (ch.builtin)
                    diags.error(r.origin.in_interface_span, m, "interface-not-allowed");
                else
                    diags.warning(r.origin.in_interface_span, m + " (reached only from OUTPUT/POSTROUTING)",
                                  "interface-never-matches");
            }
            if (r.has_out_interface && no_out) {
                std::string m =
                    fmt::format("-o cannot match in {}: packets there have no output interface yet", ch.name);
                if (ch.builtin)
                    diags.error(r.origin.out_interface_span, m, "interface-not-allowed");
                else
                    diags.warning(r.origin.out_interface_span, m + " (reached only from PREROUTING/INPUT)",
                                  "interface-never-matches");
            }
        }
    }
}

}  // namespace ipt2nft
