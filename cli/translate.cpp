// `ipt2nft translate`: options, inputs, the pipeline, diagnostics, an atomically written output.
#include "driver/translate.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/read_input.hpp"

namespace ipt2nft::cli {

namespace {

const char* help = R"(usage: ipt2nft translate [options] [FILE...]
       ipt2nft translate [options] -c 'iptables ...'

Translates iptables-save / ip6tables-save files and scripts of iptables commands into one
nft script (several files form one ruleset, in order). FILE '-' or no FILE reads stdin.

options:
  -4, -6                  the IP family (default: from the file, else IPv4)
  -o FILE                 write the script to FILE, atomically (default or '-': stdout)
  -c COMMAND              translate one iptables command (or its arguments alone),
                          as iptables-translate does
  --no-counters           leave out `counter` and saved counts
  --noflush               add to existing tables instead of replacing them
  --allow-untranslated    emit rules nft cannot express as '#' comments, with warnings
  -h, --help              this text
)";

// The script goes to a file beside the target, renamed over it only when complete, so a
// reader never sees half a script and a failed run leaves the old file alone.
class AtomicOutput {
public:
    explicit AtomicOutput(std::string path)
        : path_(std::move(path)), tmp_(path_ + ".ipt2nft-tmp." + std::to_string(getpid())) {
        stream_.open(tmp_, std::ios::binary | std::ios::trunc);
    }
    ~AtomicOutput() {
        if (!committed_) std::remove(tmp_.c_str());
    }
    bool good() const { return stream_.good(); }
    std::ostream& stream() { return stream_; }
    bool commit() {
        stream_.flush();
        bool written = stream_.good();
        stream_.close();
        committed_ = written && std::rename(tmp_.c_str(), path_.c_str()) == 0;
        return committed_;
    }

private:
    std::string path_, tmp_;
    std::ofstream stream_;
    bool committed_ = false;
};

}  // namespace

int translate(const std::vector<std::string>& args) {
    TranslateRequest request;
    std::optional<std::string> output, command;
    std::vector<std::string> files;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) {
                std::cerr << fmt::format("ipt2nft: option {} needs a value\n", a);
                return std::nullopt;
            }
            return args[++i];
        };
        if (a == "-h" || a == "--help") {
            std::cout << help;
            return ok;
        } else if (a == "-4" || a == "-6") {
            Family f = a == "-4" ? Family::ipv4 : Family::ipv6;
            if (request.family && *request.family != f) {
                std::cerr << "ipt2nft: -4 and -6 cannot be combined\n";
                return usage_error;
            }
            request.family = f;
        } else if (a == "-o") {
            if (!(output = value())) return usage_error;
        } else if (a == "-c") {
            if (!(command = value())) return usage_error;
        } else if (a == "--no-counters")
            request.script.counters = false;
        else if (a == "--noflush")
            request.script.noflush = true;
        else if (a == "--allow-untranslated")
            request.script.allow_untranslated = true;
        else if (a.size() > 1 && a[0] == '-') {
            std::cerr << fmt::format("ipt2nft: unknown option '{}'\n{}", a, help);
            return usage_error;
        } else
            files.push_back(a);
    }
    if (command && !files.empty()) {
        std::cerr << "ipt2nft: -c and input files cannot be combined\n";
        return usage_error;
    }
    std::optional<AtomicOutput> file;
    if (output && *output != "-") {  // `-o -` is stdout, as FILE '-' is stdin
        file.emplace(*output);
        if (!file->good()) {
            std::cerr << fmt::format("ipt2nft: cannot write '{}'\n", *output);
            return input_error;
        }
    }
    std::ostream& out = file ? file->stream() : std::cout;
    TranslateResult result;
    if (command) {
        result = translate_command(*command, request.family, request.script, out);
    } else {
        if (files.empty()) files.push_back("-");
        for (const auto& f : files) {
            auto text = read_input(f);
            if (!text) {
                std::cerr << fmt::format("ipt2nft: cannot read '{}': {}\n", f == "-" ? "<stdin>" : f,
                                         std::strerror(errno));
                return input_error;
            }
            request.inputs.push_back({f == "-" ? "<stdin>" : f, std::move(*text)});
        }
        result = translate(std::move(request), out);
    }
    result.diags.render(result.sources, std::cerr);
    if (result.untranslated)
        std::cerr << fmt::format("ipt2nft: {} rule(s) emitted as comments, not translated\n", result.untranslated);
    int status = ok;
    if (!result.ok) {
        status = input_error;
    } else if (file && !file->commit()) {
        std::cerr << fmt::format("ipt2nft: cannot write '{}'\n", *output);
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

}  // namespace ipt2nft::cli
