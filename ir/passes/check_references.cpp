// check_references: every jump and goto names a user chain of the same table.
#include <fmt/format.h>

#include "ir/passes/checks.hpp"
#include "ir/target_names.hpp"
#include "util/suggest.hpp"

namespace ipt2nft {

void check_references(const Table& table, const ChainGraph& graph, bool in_kernel_too, Diagnostics& diags) {
    for (const auto& ref : graph.references()) {
        if (ref.to != ChainReference::unknown && !table.chains[ref.to].builtin) continue;
        if (ref.to != ChainReference::unknown || find_builtin_chain(table.name, ref.verdict->chain)) {
            diags.error(ref.rule->origin.target_span,
                        fmt::format("cannot jump to built-in chain {}", ref.verdict->chain), "jump-to-builtin");
            continue;
        }
        if (in_kernel_too) {
            diags.warning(ref.rule->origin.target_span,
                          fmt::format("chain '{}' is not declared here: it must exist in the kernel's table {}",
                                      ref.verdict->chain, table.name),
                          "unknown-chain");
            continue;
        }
        diags.error(ref.rule->origin.target_span, unknown_jump_message(table, ref.verdict->chain), "unknown-chain");
    }
}

std::string missing_chain_hint(std::string_view chain, const std::vector<std::string_view>& names) {
    std::string nearest = did_you_mean(chain, names);
    if (!nearest.empty()) return nearest;
    return "; a chain made outside the input (as docker and ufw make theirs) is taken to exist with --noflush";
}

std::string unknown_jump_message(const Table& table, std::string_view chain, bool made_outside) {
    std::vector<std::string_view> names;
    for (const auto& ch : table.chains)
        if (!ch.builtin) names.push_back(ch.name);
    auto targets = iptables_target_names();
    names.insert(names.end(), targets.begin(), targets.end());
    return fmt::format("'{}' is neither a chain of table {} nor a known target{}", chain, table.name,
                       made_outside ? missing_chain_hint(chain, names) : did_you_mean(chain, names));
}

}  // namespace ipt2nft
