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
    auto* run = command->add_flag("--run", options.run,
                                  "run scripts with bash in a sandbox (no network, read-only files, as nobody) and "
                                  "read the iptables commands they call, for loops, ifs, functions and sourced files "
                                  "(docs/scripts.md)");
    command->add_option("--run-arg", options.run_arguments, "an argument of the script run ($1, $2, ...; repeatable)")
        ->type_name("ARG")
        ->allow_extra_args(false)
        ->needs(run);
    command
        ->add_option("--run-env", options.run_environment,
                     "a variable of the script run's environment (repeatable; beside PATH, HOME, LANG)")
        ->type_name("NAME=VALUE")
        ->allow_extra_args(false)
        ->check([](const std::string& value) {
            size_t equals = value.find('=');
            return equals == 0 || equals == std::string::npos ? std::string("expected NAME=VALUE") : std::string();
        })
        ->needs(run);
    command->add_option("--run-timeout", options.run_timeout, "stop the script run after SECONDS (default 300)")
        ->type_name("SECONDS")
        ->check(CLI::Range(1, 3600))
        ->needs(run);
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
    auto* noflush = command->add_flag("--noflush", options.noflush, noflush_help);
    command
        ->add_flag("--inet", options.inet,
                   "an ip and an ip6 table of one name (rules.v4 rules.v6) as one inet table, each rule both families "
                   "have alike written once")
        ->excludes(noflush);
    command
        ->add_option("--external-set", options.external_sets,
                     "a set the kernel's table holds already, as `ipset create` describes it (repeatable): rules may "
                     "name it, and it is neither declared nor emptied")
        ->type_name("'NAME TYPE [OPTIONS]'")
        ->allow_extra_args(false)
        ->needs(noflush);
}

void set_input_options(const InputOptions& options, TranslateRequest& request) {
    if (options.ipv4) request.family = Family::ipv4;
    if (options.ipv6) request.family = Family::ipv6;
    if (options.run)
        request.run = ScriptRunOptions{options.run_arguments, options.run_environment, options.run_timeout};
    request.script.counters = !options.no_counters;
    request.script.noflush = options.noflush;
    request.script.inet = options.inet;
    request.external_ipsets = options.external_sets;
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
