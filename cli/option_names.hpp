// A forgiving command line: long options abbreviated to a unique prefix, as getopt users expect,
// and a misspelt command or option named with the nearest one rather than the whole usage.
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ipt2nft::cli {

// Rewrites `args` (without the program name) with every abbreviated long option of the command
// written in full; on an unknown command or option, or an ambiguous prefix, says so on stderr
// with the nearest name and a hint to --help, and returns false.
bool spell_out_options(const CLI::App& app, std::vector<std::string>& args);

}  // namespace ipt2nft::cli
