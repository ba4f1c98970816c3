// --color=auto|always|never: whether diagnostics are shown in colour, as compilers do.
#pragma once
#include <CLI/CLI.hpp>

namespace ipt2nft::cli {

// Adds the tool's --color option (given before or after the command).
void add_colour_option(CLI::App& app);

// Whether text for file descriptor `fd` is coloured: always, never, or (auto, the default) when
// it is a terminal other than "dumb" and NO_COLOR is unset or empty (https://no-color.org).
bool colour_for(int fd);

}  // namespace ipt2nft::cli
