// The --color option and the terminal test behind its "auto".
#include "cli/colour.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace ipt2nft::cli {

namespace {

std::string when = "auto";

bool set(const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
}

}  // namespace

void add_colour_option(CLI::App& app) {
    app.add_option("--color", when,
                   "Diagnostics in colour: auto (on a terminal, unless NO_COLOR is set), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
}

bool colour_for(int fd) {
    if (when != "auto") return when == "always";
    const char* term = std::getenv("TERM");
    return !set("NO_COLOR") && isatty(fd) && !(term && std::string_view(term) == "dumb");
}

}  // namespace ipt2nft::cli
