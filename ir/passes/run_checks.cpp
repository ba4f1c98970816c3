// The default check pipeline: every check runs, so one pass shows every problem. The checks that
// follow jumps share a chain graph built once per table; they run on a thread of their own beside
// the others, each part with its own diagnostics, handed on in one fixed order.
#include <future>

#include "ir/passes/checks.hpp"

namespace ipt2nft {

size_t run_checks(const Ruleset& ruleset, const CheckOptions& options, Diagnostics& diags) {
    size_t untranslatable = 0;
    for (const auto& table : ruleset.tables) {
        auto jumps = std::async(std::launch::async, [&] {
            Diagnostics found{SIZE_MAX};
            ChainGraph graph(table);
            check_references(table, graph, options.in_kernel_too, found);
            check_loops(table, graph, found);
            check_targets(table, graph, found);
            check_interfaces(table, graph, found);
            return found;
        });
        Diagnostics policies{SIZE_MAX}, translatable{SIZE_MAX};
        check_policies(table, policies);
        untranslatable += check_translatable(table, options.allow_untranslated, translatable);
        Diagnostics of_jumps = jumps.get();
        for (Diagnostics* part : {&policies, &of_jumps, &translatable}) part->transfer(0, part->all().size(), diags);
    }
    return untranslatable;
}

}  // namespace ipt2nft
