// `ipt2nft translate`: options, inputs, the pipeline, diagnostics, an atomically written output.
#include "driver/translate.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/atomic_output.hpp"
#include "cli/colour.hpp"
#include "cli/commands.hpp"
#include "cli/input_options.hpp"

namespace ipt2nft::cli {

namespace {

struct TranslateOptions {
    InputOptions input;
    std::optional<std::string> output, command;
    std::string format = "nft";
    bool allow_untranslated = false;
    std::vector<std::string> renames;  // OLD=NEW
};

// JSON has no comments to keep untranslated rules in, a compiled ruleset no untranslated rules at
// all, and -c writes nft's command lines.
bool check_format_request(const TranslateOptions& options) {
    if (options.format != "json" && options.format != "sim") return true;
    if (options.command)
        std::cerr << fmt::format("ipt2nft translate: -c writes nft command lines; --format={} takes files\n",
                                 options.format);
    if (options.allow_untranslated)
        std::cerr << (options.format == "json"
                          ? "ipt2nft translate: --allow-untranslated keeps rules as '#' comments, which JSON cannot "
                            "hold: use the nft format\n"
                          : "ipt2nft translate: --allow-untranslated leaves rules out, and the simulator runs every "
                            "rule: --format=sim takes none\n");
    return !options.command && !options.allow_untranslated;
}

// --inet writes whole tables as the nft script, its JSON or its kernel programs, not command lines
// or a compiled ruleset (--noflush, adding to the kernel's tables, CLI11 refuses).
bool check_inet_request(const TranslateOptions& options) {
    if (!options.input.inet) return true;
    bool tables = options.format == "nft" || options.format == "json" || options.format == "netlink";
    if (tables && !options.command) return true;
    std::cerr << fmt::format(
        "ipt2nft translate: --inet merges whole tables into the nft script, its JSON or its programs; it does not go "
        "with {}\n",
        tables ? "-c" : "--format=" + options.format);
    return false;
}

int run_translate(const TranslateOptions& options) {
    if (!check_format_request(options) || !check_inet_request(options)) return usage_error;
    TranslateRequest request;
    set_input_options(options.input, request);
    request.script.allow_untranslated = options.allow_untranslated;
    for (const auto& rename : options.renames) {
        size_t equals = rename.find('=');
        request.chain_renames.emplace_back(rename.substr(0, equals), rename.substr(equals + 1));
    }
    request.format = options.format == "json"      ? TranslateRequest::Format::json
                     : options.format == "netlink" ? TranslateRequest::Format::netlink
                     : options.format == "ir"      ? TranslateRequest::Format::ir
                     : options.format == "sim"     ? TranslateRequest::Format::sim
                                                   : TranslateRequest::Format::nft;
    const auto& output = options.output;
    const auto& command = options.command;
    std::optional<AtomicOutput> file;
    if (output && *output != "-") {  // `-o -` is stdout, as FILE '-' is stdin
        file.emplace(*output);
        if (!file->error().empty()) {
            std::cerr << fmt::format("ipt2nft: cannot write '{}': {}\n", *output, file->error());
            return input_error;
        }
    }
    std::ostream& out = file ? file->stream() : std::cout;
    TranslateResult result;
    if (command) {
        result = translate_command(*command, request.family, request.script, request.format, out);
    } else {
        if (!read_inputs(options.input, request)) return input_error;
        result = translate(std::move(request), out);
    }
    result.diags.render(result.sources, std::cerr, colour_for(STDERR_FILENO));
    if (result.untranslated)
        std::cerr << fmt::format("ipt2nft: {} rule(s) emitted as comments, not translated\n", result.untranslated);
    int status = ok;
    if (!result.ok) {
        status = input_error;
    } else if (file && !file->commit()) {
        std::cerr << fmt::format("ipt2nft: cannot write '{}': {}\n", *output, file->error());
        status = input_error;
    }
    file.reset();  // the temporary file of a failed run is removed here
    // A full disk or a closed pipe must not pass for a written script.
    std::cout.flush();
    if (!file && !std::cout.good()) {
        std::cerr << fmt::format("ipt2nft: cannot write the script to standard output: {}\n", std::strerror(errno));
        status = input_error;
    }
    // The process ends here, with everything written. A large ruleset is hundreds of thousands of
    // small allocations, and freeing them one by one takes longer than printing them did: the
    // system takes the memory back at once.
    std::exit(status);
}

}  // namespace

void add_translate(CLI::App& app, int& status) {
    auto options = std::make_shared<TranslateOptions>();
    CLI::App* command = app.add_subcommand(
        "translate",
        "iptables-save files or iptables command scripts to one nft script (several files form one ruleset, in "
        "order)");
    add_input_options(command, options->input, "add to existing tables instead of replacing them");
    command->add_option("-o", options->output, "write the script to FILE, atomically (default or '-': stdout)")
        ->type_name("FILE");
    auto* one = command
                    ->add_option("-c", options->command,
                                 "translate one iptables command (or its arguments alone, or an "
                                 "iptables-translate command), as iptables-translate does")
                    ->type_name("COMMAND");
    one->excludes(command->get_option("FILE"));
    command->add_flag("--allow-untranslated", options->allow_untranslated,
                      "emit rules nft cannot express as '#' comments, with warnings");
    command
        ->add_option("--rename-chain", options->renames,
                     "write chain OLD as NEW (repeatable); chains nft cannot name (`reject`) become NAME_chain "
                     "without it")
        ->type_name("OLD=NEW")
        ->allow_extra_args(false)  // one OLD=NEW each time: the files follow
        ->check([](const std::string& value) {
            size_t equals = value.find('=');
            return equals == 0 || equals == std::string::npos || equals + 1 == value.size()
                       ? std::string("expected OLD=NEW")
                       : std::string();
        })
        ->excludes(one);
    command
        ->add_option("--format", options->format,
                     "nft: the script (default); json: the script as libnftables JSON, for `nft -j -f`; netlink: "
                     "the rules' kernel expressions as `nft --debug=netlink` prints them; ir: the IR as text; sim: the "
                     "compiled ruleset that `sim` and `test` read in place of the rules")
        ->check(CLI::IsMember({"nft", "json", "netlink", "ir", "sim"}));
    command->final_callback([options, &status] { status = run_translate(*options); });
}

}  // namespace ipt2nft::cli
