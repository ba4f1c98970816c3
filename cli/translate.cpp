// `ipt2nft translate`: options, inputs, the pipeline, diagnostics, an atomically written output.
#include "driver/translate.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/input_options.hpp"

namespace ipt2nft::cli {

namespace {

// The script goes to a file beside the target, renamed over it only when complete, so a
// reader never sees half a script and a failed run leaves the old file alone. A file replaced so
// keeps its permissions (Debian's /etc/nftables.conf is executable), and a symbolic link stays
// one: the file it points to is replaced, as editors do. A device, a pipe or a descriptor
// (/dev/stdout, `-o >(nft -f -)`) cannot be replaced, only written: the script goes to it directly.
class AtomicOutput {
public:
    explicit AtomicOutput(const std::string& path) : path_(path) {
        struct stat existing {};
        bool exists = ::stat(path.c_str(), &existing) == 0;
        if (exists && S_ISDIR(existing.st_mode)) {
            error_ = std::strerror(EISDIR);
            return;
        }
        // /dev/stdout and /dev/fd/N name a descriptor, whatever file is behind it.
        bool descriptor = path.starts_with("/dev/") || path.starts_with("/proc/");
        if (descriptor || (exists && !S_ISREG(existing.st_mode))) {
            stream_.open(path_, std::ios::binary);
        } else {
            path_ = resolve(path);
            tmp_ = path_ + ".ipt2nft-tmp." + std::to_string(getpid());
            stream_.open(tmp_, std::ios::binary | std::ios::trunc);
            // Before any byte is written: a private file's script is never readable by others.
            if (exists && stream_.good() && ::chmod(tmp_.c_str(), existing.st_mode & 07777) != 0)
                stream_.setstate(std::ios::failbit);
        }
        if (!stream_.good()) error_ = std::strerror(errno);
    }
    ~AtomicOutput() {
        if (!committed_ && !tmp_.empty()) std::remove(tmp_.c_str());
    }
    // Why the file cannot be written; empty while it can.
    const std::string& error() const { return error_; }
    std::ostream& stream() { return stream_; }
    bool commit() {
        stream_.flush();
        bool written = stream_.good();
        stream_.close();
        bool renamed = tmp_.empty() || std::rename(tmp_.c_str(), path_.c_str()) == 0;
        if (!written || stream_.fail() || !renamed) {
            error_ = std::strerror(errno);
            return false;
        }
        committed_ = true;
        return true;
    }

private:
    static std::string resolve(const std::string& path) {
        std::error_code ec;
        if (!std::filesystem::is_symlink(path, ec)) return path;
        std::filesystem::path target = std::filesystem::weakly_canonical(path, ec);
        return ec ? path : target.string();
    }

    std::string path_;
    std::string tmp_;  // empty when the output is written in place
    std::ofstream stream_;
    std::string error_;
    bool committed_ = false;
};

}  // namespace

namespace {

struct TranslateOptions {
    InputOptions input;
    std::optional<std::string> output, command;
    std::string format = "nft";
    bool allow_untranslated = false;
};

int run_translate(const TranslateOptions& options) {
    TranslateRequest request;
    set_input_options(options.input, request);
    request.script.allow_untranslated = options.allow_untranslated;
    request.format = options.format == "netlink" ? TranslateRequest::Format::netlink
                     : options.format == "ir"    ? TranslateRequest::Format::ir
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
    result.diags.render(result.sources, std::cerr);
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
        ->add_option("--format", options->format,
                     "nft: the script (default); netlink: the rules' kernel expressions as `nft --debug=netlink` "
                     "prints them; ir: the IR as text")
        ->check(CLI::IsMember({"nft", "netlink", "ir"}));
    command->final_callback([options, &status] { status = run_translate(*options); });
}

}  // namespace ipt2nft::cli
