// nft backend: the Ruleset as an nft script for `nft -f`.
#pragma once
#include <string>

#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::nft {

struct ScriptOptions {
    bool counters = true;             // iptables always counts: every rule gets `counter`
    bool noflush = false;             // add to existing tables instead of replacing them
    bool allow_untranslated = false;  // emit untranslatable rules as `#` comments, with warnings
};

// Writes the script; untranslatable rules and cut comments are reported to `diags`.
std::string print_script(const Ruleset& ruleset, const ScriptOptions& options, Diagnostics& diags);

// One rule as `add rule <family> <table> <chain> ...` / `insert rule ...`, as iptables-translate
// prints a single command; nullopt when the rule is untranslatable (reported).
std::string print_rule_body(const Rule& rule, const ScriptOptions& options, Diagnostics& diags, bool& ok);

}  // namespace ipt2nft::nft
