// ipt2nft entry point: dispatches to a subcommand and turns escaped exceptions into exit 3.
#include <cstring>
#include <exception>
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"

namespace {

struct Subcommand {
    std::string_view name;
    int (*run)(const std::vector<std::string>&);
    std::string_view summary;
};

const Subcommand subcommands[] = {
    {"translate", ipt2nft::cli::translate, "iptables-save files or iptables command scripts to an nft script"},
    {"apply", ipt2nft::cli::apply, "the same inputs straight into the kernel, in one atomic netlink batch"},
};

void usage(std::ostream& out) {
    out << "usage: ipt2nft <command> [options]\n\ncommands:\n";
    for (const auto& s : subcommands) out << "  " << s.name << "\t" << s.summary << "\n";
    out << "\nipt2nft <command> --help shows the options of a command; ipt2nft --version the version.\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(std::cerr);
        return ipt2nft::cli::usage_error;
    }
    std::string_view name = argv[1];
    if (name == "--help" || name == "-h") {
        usage(std::cout);
        return ipt2nft::cli::ok;
    }
    if (name == "--version") {
        std::cout << "ipt2nft " << IPT2NFT_VERSION << "\n";
        return ipt2nft::cli::ok;
    }
    for (const auto& s : subcommands) {
        if (s.name != name) continue;
        try {
            return s.run(std::vector<std::string>(argv + 2, argv + argc));
        } catch (const std::exception& e) {
            std::cerr << "ipt2nft: internal error: " << e.what() << "\n";
            return ipt2nft::cli::internal_error;
        }
    }
    std::cerr << "ipt2nft: unknown command '" << name << "'\n";
    usage(std::cerr);
    return ipt2nft::cli::usage_error;
}
