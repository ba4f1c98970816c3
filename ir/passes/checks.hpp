// The ruleset checks, each in its own file; all run, all report.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "ir/diagnostics.hpp"
#include "ir/passes/chain_graph.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

// With `in_kernel_too`, the ruleset adds to the kernel's (--noflush): a chain not seen here may
// exist there, so a jump to it is a warning, not an error.
void check_references(const Table& table, const ChainGraph& graph, bool in_kernel_too, Diagnostics& diags);
// The message for a jump to `chain` that is neither a user chain of `table` nor a target, with a
// suggestion among those, or else (when `made_outside` may explain it) missing_chain_hint's.
std::string unknown_jump_message(const Table& table, std::string_view chain, bool made_outside = true);
// The end of a message about a chain the input does not have: the nearest of `names`, or else that
// --noflush takes chains made outside the input (by docker, ufw) to exist.
std::string missing_chain_hint(std::string_view chain, const std::vector<std::string_view>& names);
void check_loops(const Table& table, const ChainGraph& graph, Diagnostics& diags);
// nf_tables refuses a chain 16 jumps or more below a base chain.
void check_jump_depth(const Table& table, const ChainGraph& graph, Diagnostics& diags);
// Matches the kernel takes in some hooks only (owner, mac, addrtype's interface limits).
void check_match_hooks(const Table& table, const ChainGraph& graph, Diagnostics& diags);
void check_targets(const Table& table, const ChainGraph& graph, Diagnostics& diags);
void check_interfaces(const Table& table, const ChainGraph& graph, Diagnostics& diags);
// What the kernel refuses in a table or hook, also through user chains: the three above.
void check_hooks(const Table& table, const ChainGraph& graph, Diagnostics& diags);
// Returns how many rules cannot be translated.
size_t check_translatable(const Table& table, bool allow_untranslated, Diagnostics& diags);

struct CheckOptions {
    bool allow_untranslated = false;
    bool in_kernel_too = false;  // --noflush
};

// Runs every check above on every table; returns the number of untranslatable rules.
size_t run_checks(const Ruleset& ruleset, const CheckOptions& options, Diagnostics& diags);

}  // namespace ipt2nft
