// The input options of translate and apply, and reading their files.
#include "cli/input_options.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli/read_input.hpp"

namespace ipt2nft::cli {

void add_ruleset_inputs(CLI::App* command, InputOptions& options) {
    auto* v4 = command->add_flag("-4", options.ipv4, "IPv4 (default: from the file, else IPv4)");
    command->add_flag("-6", options.ipv6, "IPv6")->excludes(v4);
    command->add_option("FILE", options.files,
                        "iptables-save files or scripts of iptables commands, one ruleset in order; '-' or none: "
                        "stdin");
}

CLI::App* add_ruleset_command(CLI::App& app, const std::string& name, const std::string& description,
                              InputOptions& options) {
    CLI::App* command = app.add_subcommand(name, description);
    add_ruleset_inputs(command, options);
    return command;
}

void add_input_options(CLI::App* command, InputOptions& options, const std::string& noflush_help) {
    add_ruleset_inputs(command, options);
    command->add_flag("--no-counters", options.no_counters, "leave out counters and saved counts");
    command->add_flag("--noflush", options.noflush, noflush_help);
}

void set_input_options(const InputOptions& options, TranslateRequest& request) {
    if (options.ipv4) request.family = Family::ipv4;
    if (options.ipv6) request.family = Family::ipv6;
    request.script.counters = !options.no_counters;
    request.script.noflush = options.noflush;
}

std::optional<TranslateInput> read_side_file(const std::string& path) {
    auto text = read_input(path);
    if (!text) {
        std::cerr << fmt::format("ipt2nft: cannot read '{}': {}\n", path, std::strerror(errno));
        return std::nullopt;
    }
    return TranslateInput{path, std::move(*text)};
}

bool read_inputs(const InputOptions& options, TranslateRequest& request) {
    std::vector<std::string> files = options.files;
    if (files.empty()) files.push_back("-");
    for (const auto& f : files) {
        auto text = read_input(f);
        if (!text) {
            std::cerr << fmt::format("ipt2nft: cannot read '{}': {}\n", f == "-" ? "<stdin>" : f, std::strerror(errno));
            return false;
        }
        request.inputs.push_back({f == "-" ? "<stdin>" : f, std::move(*text)});
    }
    return true;
}

}  // namespace ipt2nft::cli
