// nft backend: the Ruleset as an nft script for `nft -f`.
#pragma once
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir/command.hpp"
#include "ir/diagnostics.hpp"
#include "ir/dynamic_sets.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::nft {

struct ScriptOptions {
    bool counters = true;             // iptables always counts: every rule gets `counter`
    bool noflush = false;             // add to existing tables instead of replacing them
    bool allow_untranslated = false;  // emit untranslatable rules as `#` comments, with warnings
    bool inet = false;                // an ip and an ip6 table of one name as one inet table
};

// Reports what nft's syntax cannot hold (chain names: errors; comments: warnings).
void check_writable(const Ruleset& ruleset, Diagnostics& diags);

// Writes the script to `out` as it goes; call after the checks, printing cannot fail.
void print_script(const Ruleset& ruleset, const ScriptOptions& options, std::ostream& out);

// `type filter hook input priority filter;` for a built-in chain, else empty.
std::string base_chain_type(std::string_view table, std::string_view chain);

// The helper objects and sets the rules of `tables` name (one table's, or the ip and ip6 tables
// an inet table merges), as declarations before the chains; whether there were any.
bool print_declarations(const std::vector<const Table*>& tables, const ScriptOptions& options, std::ostream& out);

// The protocol word of a helper object's type (`protocol tcp`).
std::string_view helper_protocol(const CtHelper& helper);
// A dynamic set as nft declares it: `type ipv4_addr; flags dynamic,timeout; timeout 60s;`.
std::string dynamic_set_spec(const DynamicSet& set);
// The same of the set of a hashlimit several rules share.
std::string meter_set_spec(const Meter& meter);
// `\tset NAME {\n\t\ttype ...` through `\t}\n`: an ipset as the table declares it (with
// `counters`, its elements' counters and their saved counts).
std::string ipset_declaration(const DeclaredIpset& declared, bool counters);

// -c: the `nft '...'` shell lines of command `c`, whose rules `ruleset` holds after its replay
// into an empty one; nullopt, with an error, for a command -c does not translate.
std::optional<std::string> command_lines(const Command& c, const Ruleset& ruleset, const ScriptOptions& script,
                                         Diagnostics& diags);

// Appends an untranslatable rule as written, as nft comment lines (`# untranslated: ...`), each
// line of it after the first preceded by `indent`: a command continued with '\' or a quoted comment
// can span lines, and every one of them must stay inside a comment.
void append_untranslated(const Rule& rule, std::string_view indent, std::string& out);

// Appends the text of a rule (what follows `add rule <family> <table> <chain>`); the rule must be
// translatable, and one kernel rule (split_rule_pairs has run).
void print_nft_rule(const Rule& rule, const ScriptOptions& options, std::string& out);

}  // namespace ipt2nft::nft
