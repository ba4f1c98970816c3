// `ipt2nft apply`: options, inputs, then the apply pipeline; its diagnostics and exit status.
#include "driver/apply.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/confirm.hpp"
#include "cli/read_input.hpp"

namespace ipt2nft::cli {

namespace {

const char* help = R"(usage: ipt2nft apply [options] [FILE...]

Applies iptables-save files or iptables command scripts (FILE '-' or none: stdin) to the kernel's
nf_tables in one atomic netlink batch: every table of the input or none. Each table the input
names is replaced, as iptables-restore replaces it. Needs root or CAP_NET_ADMIN.

options:
  -4, -6          the IP family (default: from the file, else IPv4)
  --check         let the kernel validate the batch, and commit nothing
  --confirm SECONDS
                  keep the new rules only if confirmed within SECONDS: on a terminal by
                  answering y; else by `kill -USR1 PID` of the keeper it names. Without
                  it, the tables the input replaced come back, also if the session dies
  --netns NAME    apply in network namespace NAME (/run/netns/NAME) or the one at a path
  --noflush       add to the kernel's tables instead of replacing them
  --no-counters   rules without counters, and saved counts left out
  -h, --help      this text
)";

}  // namespace

int apply(const std::vector<std::string>& args) {
    ApplyRequest request;
    std::vector<std::string> files;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            std::cout << help;
            return ok;
        } else if (a == "-4" || a == "-6") {
            Family f = a == "-4" ? Family::ipv4 : Family::ipv6;
            if (request.input.family && *request.input.family != f) {
                std::cerr << "ipt2nft: -4 and -6 cannot be combined\n";
                return usage_error;
            }
            request.input.family = f;
        } else if (a == "--check") {
            request.check_only = true;
        } else if (a == "--netns") {
            if (i + 1 >= args.size() || args[i + 1].empty()) {
                std::cerr << "ipt2nft: option --netns needs a value\n";
                return usage_error;
            }
            request.netns = args[++i];
        } else if (a == "--confirm") {
            int seconds = 0;
            if (i + 1 >= args.size() || std::sscanf(args[i + 1].c_str(), "%d", &seconds) != 1 || seconds < 1 ||
                seconds > 86400) {
                std::cerr << "ipt2nft: option --confirm needs a number of seconds, 1 to 86400\n";
                return usage_error;
            }
            ++i;
            request.confirm_seconds = seconds;
        } else if (a == "--noflush") {
            request.input.script.noflush = true;
        } else if (a == "--no-counters") {
            request.input.script.counters = false;
        } else if (a.size() > 1 && a[0] == '-') {
            std::cerr << fmt::format("ipt2nft: unknown option '{}'\n{}", a, help);
            return usage_error;
        } else {
            files.push_back(a);
        }
    }
    if (files.empty()) files.push_back("-");
    for (const auto& f : files) {
        auto text = read_input(f);
        if (!text) {
            std::cerr << fmt::format("ipt2nft: cannot read '{}': {}\n", f == "-" ? "<stdin>" : f, std::strerror(errno));
            return input_error;
        }
        request.input.inputs.push_back({f == "-" ? "<stdin>" : f, std::move(*text)});
    }
    if (request.confirm_seconds && request.check_only) {
        std::cerr << "ipt2nft: --check changes nothing, so there is nothing to --confirm\n";
        return usage_error;
    }
    std::optional<int> confirm_seconds = request.confirm_seconds;
    ApplyResult applied = ipt2nft::apply(std::move(request));
    const TranslateResult& result = applied.translated;
    result.diags.render(result.sources, std::cerr);
    if (!result.ok) return input_error;
    return applied.rollback ? confirm(*applied.session, *applied.rollback, *confirm_seconds) : ok;
}

}  // namespace ipt2nft::cli
