// nft backend: the Ruleset as an nft script for `nft -f`.
#pragma once
#include <cstddef>
#include <ostream>
#include <string>

#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::nft {

struct ScriptOptions {
    bool counters = true;             // iptables always counts: every rule gets `counter`
    bool noflush = false;             // add to existing tables instead of replacing them
    bool allow_untranslated = false;  // emit untranslatable rules as `#` comments, with warnings
};

// Reports what nft's syntax cannot hold (chain names: errors; comments: warnings).
void check_writable(const Ruleset& ruleset, Diagnostics& diags);

// Writes the script to `out` as it goes; call after the checks, printing cannot fail.
void print_script(const Ruleset& ruleset, const ScriptOptions& options, std::ostream& out);

// How many nft rules one rule becomes: two when packets without a connection need their own
// (Rule::connectionless_states), else one.
size_t nft_rule_count(const Rule& rule);

// Appends the nft text (what follows `add rule <family> <table> <chain>`) of the rule's nft rule
// `part` (below nft_rule_count) to `out`; false, appending nothing, when it is untranslatable.
bool print_rule_body(const Rule& rule, const ScriptOptions& options, std::string& out, size_t part = 0);

}  // namespace ipt2nft::nft
