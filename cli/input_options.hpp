// What translate and apply both take: the inputs, their family, counters, --noflush, --inet.
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "driver/translate.hpp"

namespace ipt2nft::cli {

struct InputOptions {
    std::vector<std::string> files;  // '-' or none: stdin
    bool ipv4 = false, ipv6 = false;
    bool run = false;  // scripts run in a sandbox, their iptables calls recorded
    std::vector<std::string> run_arguments, run_environment;
    int run_timeout = 300;
    bool no_counters = false;
    bool noflush = false;
    bool inet = false;
    std::vector<std::string> external_sets;  // NAME TYPE [OPTIONS], as `ipset create` takes them
};

// Adds -4/-6, the FILE arguments and --run with its options to `command`: the ruleset's inputs.
void add_ruleset_inputs(CLI::App* command, InputOptions& options);
// A subcommand of `app` that reads a ruleset and nothing about writing one (sim, test).
CLI::App* add_ruleset_command(CLI::App& app, const std::string& name, const std::string& description,
                              InputOptions& options);
// Those, and --no-counters, --noflush, --inet, --external-set: how the ruleset is written.
void add_input_options(CLI::App* command, InputOptions& options, const std::string& noflush_help);

// The options' family, counters, --noflush, --inet and external sets, into `request`.
void set_input_options(const InputOptions& options, TranslateRequest& request);

// One more file the command reads (a host or test file); nullopt, having said why, when it
// cannot be read.
std::optional<TranslateInput> read_side_file(const std::string& path);

// Reads every file into `request`; false, having said why, when one cannot be read.
bool read_inputs(const InputOptions& options, TranslateRequest& request);

}  // namespace ipt2nft::cli
