// `ipt2nft apply`: options, inputs, then the apply pipeline; its diagnostics and exit status.
#include "driver/apply.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/colour.hpp"
#include "cli/commands.hpp"
#include "cli/confirm.hpp"
#include "cli/input_options.hpp"

namespace ipt2nft::cli {

namespace {

struct ApplyOptions {
    InputOptions input;
    bool check = false;
    std::string netns;
    int confirm_seconds = 0;
};

int run_apply(const ApplyOptions& options) {
    ApplyRequest request;
    set_input_options(options.input, request.input);
    if (!read_inputs(options.input, request.input)) return input_error;
    request.check_only = options.check;
    request.netns = options.netns;
    if (options.confirm_seconds) request.confirm_seconds = options.confirm_seconds;
    ApplyResult applied = ipt2nft::apply(std::move(request));
    const TranslateResult& result = applied.translated;
    result.diags.render(result.sources, std::cerr, colour_for(STDERR_FILENO));
    if (!result.ok) return input_error;
    return applied.rollback ? confirm(*applied.session, *applied.rollback, options.confirm_seconds) : ok;
}

}  // namespace

void add_apply(CLI::App& app, int& status) {
    auto options = std::make_shared<ApplyOptions>();
    CLI::App* command = app.add_subcommand(
        "apply",
        "the same inputs straight into the kernel's nf_tables, in one atomic netlink batch: every table the "
        "input names replaced, or none (needs root or CAP_NET_ADMIN)");
    add_input_options(command, options->input, "add to the kernel's tables instead of replacing them");
    auto* check = command->add_flag("--check", options->check, "let the kernel validate the batch, and commit nothing");
    command
        ->add_option("--netns", options->netns,
                     "apply in network namespace NAME (/run/netns/NAME) or the one at a path")
        ->type_name("NAME")
        ->check([](const std::string& v) {
            return v.empty() ? std::string("needs a namespace's name or path") : std::string();
        });
    command
        ->add_option("--confirm", options->confirm_seconds,
                     "keep the new rules only if confirmed within SECONDS: on a terminal by answering y, else by "
                     "`kill -USR1 PID` of the keeper it names; without it the tables the input replaced come back, "
                     "also if the session dies")
        ->type_name("SECONDS")
        ->check(CLI::Range(1, 86400))
        ->excludes(check);
    command->final_callback([options, &status] { status = run_apply(*options); });
}

}  // namespace ipt2nft::cli
