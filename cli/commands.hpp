// The subcommands of `ipt2nft`, each adding itself to the command line's parser.
#pragma once
#include <CLI/CLI.hpp>

namespace ipt2nft::cli {

// Exit status: 0 success, 1 the input has errors, 2 usage error, 3 internal error.
enum Exit { ok = 0, input_error = 1, usage_error = 2, internal_error = 3 };

// Each subcommand adds itself to the app: its options, and a callback that runs it and sets
// `status` (translate ends the process itself once a translation ran: see cli/translate.cpp).
void add_translate(CLI::App& app, int& status);
// Its status is 1 also when the kernel refused the batch or new rules were not confirmed.
void add_apply(CLI::App& app, int& status);
// Its status is 0 whatever the packets' verdicts: it answers a question.
void add_sim(CLI::App& app, int& status);
// Its status is 1 when a case fails, as for errors in the input.
void add_test(CLI::App& app, int& status);
// Its status is 1 also when a finding is at or above --fail-on.
void add_lint(CLI::App& app, int& status);
// `help [COMMAND]`: the usage of the tool or of one command.
void add_help(CLI::App& app, int& status);

}  // namespace ipt2nft::cli
