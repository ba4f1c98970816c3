// JSON backend: the Ruleset as libnftables JSON (libnftables-json(5)), for `nft -j -f`.
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>

#include "backends/nft/nft_backend.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::json {

// A rule's `expr` list: its matches, the counter, its statements; what the script writes for it.
// The rule must be translatable and one kernel rule (split_rule_pairs has run).
nlohmann::ordered_json rule_expressions(const Rule& rule, const nft::ScriptOptions& options);

// What the JSON cannot hold, as errors at their places: names and texts that are not UTF-8.
void check_encodable(const Ruleset& ruleset, Diagnostics& diags);

// The commands the nft script holds, in its order, as one {"nftables": [...]} document with a
// command per line; call after the checks, printing cannot fail.
void print_json(const Ruleset& ruleset, const nft::ScriptOptions& options, std::ostream& out);

}  // namespace ipt2nft::json
