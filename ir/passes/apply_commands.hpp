// apply_commands: replays Commands in order into the Ruleset they leave behind.
#pragma once
#include <vector>

#include "ir/command.hpp"
#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

struct ApplyOptions {
    bool noflush = false;           // `*table` blocks add to the table instead of replacing it
    bool chains_exist = false;      // a lone `-c` command: chains it names are taken to exist
};

void apply_commands(const std::vector<Command>& commands, Ruleset& ruleset, Diagnostics& diags, const ApplyOptions& options);

}  // namespace ipt2nft
