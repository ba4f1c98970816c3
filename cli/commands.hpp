// The subcommands of `ipt2nft`, one function each, looked up in a table by main.
#pragma once
#include <string>
#include <vector>

namespace ipt2nft::cli {

// Exit status: 0 success, 1 the input has errors, 2 usage error, 3 internal error.
enum Exit { ok = 0, input_error = 1, usage_error = 2, internal_error = 3 };

// Returns the exit status of a usage or input error; once a translation ran, it ends the process
// itself with its status (see cli/translate.cpp for why).
int translate(const std::vector<std::string>& args);
// Returns the exit status: 1 also when the kernel refused the batch.
int apply(const std::vector<std::string>& args);

}  // namespace ipt2nft::cli
