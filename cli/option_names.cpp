// Each word that looks like a long option checked against the command's own options before CLI11
// parses, so that a typo gets a suggestion and an unambiguous prefix its full name.
#include "cli/option_names.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <optional>

#include "util/suggest.hpp"

namespace ipt2nft::cli {

namespace {

struct LongOption {
    std::string name;  // with its leading "--"
    bool takes_value;
};

// The command's long options and those of the tool (--help, --color), which every command takes.
std::vector<LongOption> long_options(const CLI::App& command) {
    std::vector<LongOption> out;
    for (const CLI::App* app : {&command, command.get_parent()}) {
        if (!app) continue;
        for (const CLI::Option* option : app->get_options())
            for (const auto& name : option->get_lnames())
                out.push_back({"--" + name, option->get_items_expected_max() > 0});
    }
    return out;
}

std::vector<std::string_view> names_of(const std::vector<LongOption>& options) {
    std::vector<std::string_view> names;
    for (const auto& o : options) names.push_back(o.name);
    return names;
}

// The option `word` (before any '=') stands for: itself, or the one option it is a prefix of.
// `command` is empty for the tool's own options.
const LongOption* resolve(const std::vector<LongOption>& options, std::string_view word, const std::string& command) {
    const LongOption* found = nullptr;
    std::vector<std::string_view> prefixed;
    for (const auto& o : options) {
        if (o.name == word) return &o;
        if (o.name.starts_with(word)) {
            found = &o;
            prefixed.push_back(o.name);
        }
    }
    if (prefixed.size() == 1) return found;
    std::string who = command.empty() ? "ipt2nft" : "ipt2nft " + command;
    if (prefixed.empty())
        std::cerr << fmt::format("{}: unknown option '{}'{}\n", who, word, did_you_mean(word, names_of(options)));
    else
        std::cerr << fmt::format("{}: '{}' could be {}\n", who, word, fmt::join(prefixed, " or "));
    std::cerr << fmt::format("Run '{} --help' for its options.\n", who);
    return nullptr;
}

// Spells out the long options of args[from, to) as `options` name them; false after saying why
// when one is unknown or ambiguous. Stops at "--" and, when `until_word`, at the first word that
// is not an option (the tool's options come before the command's name).
std::optional<size_t> spell_out(const std::vector<LongOption>& options, std::vector<std::string>& args, size_t from,
                                const std::string& command, bool until_word) {
    size_t i = from;
    for (; i < args.size(); ++i) {
        std::string& word = args[i];
        if (word == "--") break;  // the rest are files
        if (!word.starts_with("--")) {
            if (until_word) break;
            continue;
        }
        auto equals = word.find('=');
        const LongOption* option = resolve(options, std::string_view(word).substr(0, equals), command);
        if (!option) return std::nullopt;
        word = option->name + (equals == std::string::npos ? "" : word.substr(equals));
        if (option->takes_value && equals == std::string::npos) ++i;  // its value may start with "--"
    }
    return i;
}

}  // namespace

bool spell_out_options(const CLI::App& app, std::vector<std::string>& args) {
    auto at = spell_out(long_options(app), args, 0, "", true);
    if (!at) return false;
    if (*at >= args.size() || args[*at] == "--") return true;  // CLI11 says a command is needed
    const std::string& name = args[*at];
    const CLI::App* command = nullptr;
    std::vector<std::string_view> commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        commands.push_back(sub->get_name());
        if (sub->get_name() == name) command = sub;
    }
    if (!command) {
        std::cerr << fmt::format("ipt2nft: unknown command '{}'{}\nRun 'ipt2nft --help' for the commands.\n", name,
                                 did_you_mean(name, commands));
        return false;
    }
    return spell_out(long_options(*command), args, *at + 1, name, false).has_value();
}

}  // namespace ipt2nft::cli
