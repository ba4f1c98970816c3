// The ruleset checks, each in its own file; all run, all report.
#pragma once
#include "ir/diagnostics.hpp"
#include "ir/passes/chain_graph.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

void check_policies(const Table& table, Diagnostics& diags);
void check_references(const Table& table, const ChainGraph& graph, Diagnostics& diags);
void check_loops(const Table& table, const ChainGraph& graph, Diagnostics& diags);
void check_targets(const Table& table, const ChainGraph& graph, Diagnostics& diags);
void check_interfaces(const Table& table, const ChainGraph& graph, Diagnostics& diags);
// Returns how many rules cannot be translated.
size_t check_translatable(const Table& table, bool allow_untranslated, Diagnostics& diags);

// Runs every check above on every table; returns the number of untranslatable rules.
size_t run_checks(const Ruleset& ruleset, bool allow_untranslated, Diagnostics& diags);

}  // namespace ipt2nft
