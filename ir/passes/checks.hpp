// The ruleset checks, each in its own file; all run, all report.
#pragma once
#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

void check_policies(const Ruleset& ruleset, Diagnostics& diags);
void check_references(const Ruleset& ruleset, Diagnostics& diags);
void check_loops(const Ruleset& ruleset, Diagnostics& diags);
void check_targets(const Ruleset& ruleset, Diagnostics& diags);
void check_interfaces(const Ruleset& ruleset, Diagnostics& diags);
void check_translatable(const Ruleset& ruleset, bool allow_untranslated, Diagnostics& diags);

// Runs every check above, in that order.
void run_checks(const Ruleset& ruleset, bool allow_untranslated, Diagnostics& diags);

}  // namespace ipt2nft
