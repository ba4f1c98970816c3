// The default check pipeline: every check runs, so one pass shows every problem. The checks that
// follow jumps share a chain graph built once per table, and run on one worker thread while the
// others run on another; each part keeps its diagnostics, handed on in one fixed order.
#include <functional>

#include "util/ordered_batches.hpp"
#include "ir/passes/checks.hpp"

namespace ipt2nft {

namespace {

struct Findings {
    Diagnostics diags{SIZE_MAX};  // all kept: the cap applies when they join the caller's list
    size_t untranslatable = 0;
};

}  // namespace

void check_hooks(const Table& table, const ChainGraph& graph, Diagnostics& diags) {
    check_targets(table, graph, diags);
    check_match_hooks(table, graph, diags);
    check_interfaces(table, graph, diags);
}

size_t run_checks(const Ruleset& ruleset, const CheckOptions& options, Diagnostics& diags) {
    size_t untranslatable = 0;
    for (const auto& table : ruleset.tables) {
        const std::function<void(Findings&)> parts[] = {
            [&](Findings& f) {
                ChainGraph graph(table);
                check_references(table, graph, options.in_kernel_too, f.diags);
                check_loops(table, graph, f.diags);
                check_jump_depth(table, graph, f.diags);
                check_hooks(table, graph, f.diags);
            },
            [&](Findings& f) { f.untranslatable = check_translatable(table, options.allow_untranslated, f.diags); },
        };
        for_each_batch_in_order<Findings>(
            std::size(parts), std::min<size_t>(2, hardware_threads()),
            [&](size_t i) {
                Findings f;
                parts[i](f);
                return f;
            },
            [&](Findings&& f) {
                f.diags.transfer(0, f.diags.all().size(), diags);
                untranslatable += f.untranslatable;
            });
    }
    return untranslatable;
}

}  // namespace ipt2nft
