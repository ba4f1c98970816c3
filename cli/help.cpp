// `ipt2nft help [COMMAND]`: what --help prints, for those who type help first.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "util/suggest.hpp"

namespace ipt2nft::cli {

void add_help(CLI::App& app, int& status) {
    auto topic = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand("help", "the usage of ipt2nft, or of one command");
    command->add_option("COMMAND", *topic, "the command to explain");
    command->final_callback([&app, topic, &status] {
        // app.help() would describe the command being run, this one.
        if (topic->empty())
            return void(std::cout << app.get_formatter()->make_help(&app, "ipt2nft", CLI::AppFormatMode::Normal));
        std::vector<std::string_view> names;
        for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
            if (sub->get_name() == *topic) return void(std::cout << sub->help());
            names.push_back(sub->get_name());
        }
        std::cerr << fmt::format("ipt2nft: help: unknown command '{}'{}\n", *topic, did_you_mean(*topic, names));
        status = usage_error;
    });
}

}  // namespace ipt2nft::cli
