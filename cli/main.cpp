// ipt2nft entry point: the command line parsed by CLI11 into a subcommand; a usage error is exit
// 2, an escaped exception exit 3.
#include <algorithm>
#include <exception>
#include <iostream>

#include "cli/colour.hpp"
#include "cli/commands.hpp"
#include "cli/option_names.hpp"

int main(int argc, char** argv) {
    CLI::App app{"ipt2nft: iptables rulesets to nft scripts, or straight into the kernel", "ipt2nft"};
    app.set_version_flag("--version", "ipt2nft " IPT2NFT_VERSION);
    app.require_subcommand(1);
    ipt2nft::cli::add_colour_option(app);
    app.fallthrough();  // the commands made after this pass the tool's options (--color) up to it
    int status = ipt2nft::cli::ok;
    ipt2nft::cli::add_translate(app, status);
    ipt2nft::cli::add_apply(app, status);
    ipt2nft::cli::add_sim(app, status);
    ipt2nft::cli::add_test(app, status);
    ipt2nft::cli::add_lint(app, status);
    ipt2nft::cli::add_help(app, status);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!ipt2nft::cli::spell_out_options(app, args)) return ipt2nft::cli::usage_error;
    std::reverse(args.begin(), args.end());  // as CLI11 takes them
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        // --help and --version end here too, with status 0; every other parse error is a usage error.
        return app.exit(e) == 0 ? ipt2nft::cli::ok : ipt2nft::cli::usage_error;
    } catch (const std::exception& e) {
        std::cerr << "ipt2nft: internal error: " << e.what() << "\n";
        return ipt2nft::cli::internal_error;
    }
    return status;
}
