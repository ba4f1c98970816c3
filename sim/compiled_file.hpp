// The compiled ruleset as a file (translate --format=sim), which sim and test read in place of rules.
#pragma once
#include <optional>
#include <ostream>
#include <string_view>

#include "ir/diagnostics.hpp"
#include "ir/source_manager.hpp"
#include "sim/compiled_ruleset.hpp"

namespace ipt2nft::sim {

// The format's name and version, the file's first two members. A reader of version N reads only
// files of version N: a program it would misread is worse than a clear refusal.
inline constexpr std::string_view compiled_format = "ipt2nft-sim";
inline constexpr unsigned compiled_version = 1;

// Whether `text` is a compiled ruleset: a JSON object whose first member is "format". No rules
// file starts so.
bool is_compiled_file(std::string_view text);

// `ruleset` as JSON, with each rule's, policy's and chain's place and source line from `sources`.
void write_compiled_file(const CompiledRuleset& ruleset, const SourceManager& sources, std::ostream& out);

// The ruleset of `file` in `sources`: its names and source lines kept in `sources`, so that places
// read as the rules' own files and lines. Nullopt, with an error in `diags`, when the file is not a
// compiled ruleset of this version, or holds what the kernel would refuse (a program that misuses
// registers, a jump to a chain that is not there or to a base chain, a loop of jumps).
std::optional<CompiledRuleset> read_compiled_file(uint32_t file, SourceManager& sources, Diagnostics& diags);

}  // namespace ipt2nft::sim
