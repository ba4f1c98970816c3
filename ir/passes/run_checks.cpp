// The default check pipeline: every check runs, so one pass shows every problem.
#include "ir/passes/checks.hpp"

namespace ipt2nft {

void run_checks(const Ruleset& ruleset, bool allow_untranslated, Diagnostics& diags) {
    check_policies(ruleset, diags);
    check_references(ruleset, diags);
    check_loops(ruleset, diags);
    check_targets(ruleset, diags);
    check_interfaces(ruleset, diags);
    check_translatable(ruleset, allow_untranslated, diags);
}

}  // namespace ipt2nft
