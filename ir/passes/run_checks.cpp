// The default check pipeline: every check runs, so one pass shows every problem; the chain
// graph is built once per table and shared.
#include "ir/passes/checks.hpp"

namespace ipt2nft {

size_t run_checks(const Ruleset& ruleset, const CheckOptions& options, Diagnostics& diags) {
    size_t untranslatable = 0;
    for (const auto& table : ruleset.tables) {
        ChainGraph graph(table);
        check_policies(table, diags);
        check_references(table, graph, options.in_kernel_too, diags);
        check_loops(table, graph, diags);
        check_targets(table, graph, diags);
        check_interfaces(table, graph, diags);
        untranslatable += check_translatable(table, options.allow_untranslated, diags);
    }
    return untranslatable;
}

}  // namespace ipt2nft
