// --run: the scratch directory (recording programs, the prelude that marks each command's place),
// the sandboxed bash, and the recorded calls turned into a script the replay reads.
#include "driver/script_run.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "util/sandbox.hpp"

namespace ipt2nft {

namespace {

namespace fs = std::filesystem;

// Where the scratch directory is inside the sandbox (a fresh /tmp there).
constexpr std::string_view inside = "/tmp/ipt2nft-run";

// What the script calls and the sandbox records instead: the firewall programs, and those that
// would change the host's network, kernel or services (the replay warns about each).
constexpr std::string_view recorded_programs[] = {"iptables",
                                                  "ip6tables",
                                                  "iptables-save",
                                                  "ip6tables-save",
                                                  "iptables-restore",
                                                  "ip6tables-restore",
                                                  "iptables-legacy",
                                                  "ip6tables-legacy",
                                                  "iptables-nft",
                                                  "ip6tables-nft",
                                                  "iptables-legacy-save",
                                                  "ip6tables-legacy-save",
                                                  "iptables-nft-save",
                                                  "ip6tables-nft-save",
                                                  "iptables-legacy-restore",
                                                  "ip6tables-legacy-restore",
                                                  "iptables-nft-restore",
                                                  "ip6tables-nft-restore",
                                                  "xtables-legacy-multi",
                                                  "xtables-nft-multi",
                                                  "sysctl",
                                                  "modprobe",
                                                  "insmod",
                                                  "rmmod",
                                                  "ip",
                                                  "tc",
                                                  "ipset",
                                                  "nft",
                                                  "ebtables",
                                                  "arptables",
                                                  "conntrack",
                                                  "systemctl",
                                                  "service"};

// Scripts name programs by absolute paths too (`IPT=/sbin/iptables`): the recorder is bound over
// each of these where the host has it.
constexpr std::string_view program_directories[] = {"/usr/sbin", "/usr/bin",        "/sbin",
                                                    "/bin",      "/usr/local/sbin", "/usr/local/bin"};

// The recorder: one call at a time (the lock), its record (its PID, the place the prelude exported,
// the program, a restore's input file, the arguments) written to ipt2nft's request pipe in one
// write; ipt2nft replays it and writes "PID STATUS" to the answer pipe, the status iptables would
// give. An answer meant for a recorder killed while waiting is passed over by its PID.
constexpr std::string_view recorder = R"(#!/bin/bash
run=/tmp/ipt2nft-run
program=${0##*/}
exec 9>> "$run/lock" && flock 9
input=
case $program in *-restore*) input=$run/input.$$; cat > "$input" ;; esac
printf '%s\0' "$$" "${IPT2NFT_AT:-}" "$program" "$input" "$#" "$@" > "$run/requests"
while read -r pid status; do [[ $pid == "$$" ]] && exit "$status"; done < "$run/answers"
exit 1
)";

// Runs the script as bash would, with the recorders first on PATH and, before every command, its
// file and line exported for them to record (the DEBUG trap, inherited by functions and
// subshells under functrace). $0 is the script's own path. A script that runs to its end ran
// whole, whatever its last command returned (the replay tells a failing one); `exit N` and
// `set -e` end the shell before the prelude's `exit 0`.
constexpr std::string_view prelude = R"(export PATH=/tmp/ipt2nft-run/bin:$PATH
set -o functrace
trap 'export IPT2NFT_AT="${BASH_SOURCE[0]}:$LINENO"' DEBUG
script=$1 name=$2
shift 2
BASH_ARGV0=$name
source "$script" "$@"
exit 0
)";

void write_file(const fs::path& path, std::string_view text, fs::perms mode) {
    std::ofstream(path, std::ios::binary) << text;
    fs::permissions(path, mode);
}

// A named pipe in the scratch directory that the sandbox's nobody may use, held open here.
struct Pipe {
    int fd = -1;
    explicit Pipe(const fs::path& path) {
        if (mkfifo(path.c_str(), 0600) == 0 && chmod(path.c_str(), 0666) == 0)
            fd = open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    }
    ~Pipe() {
        if (fd >= 0) close(fd);
    }
};

// The scratch directory of one run, removed with everything the run left in it.
struct Scratch {
    fs::path path;
    Scratch() {
        std::string pattern = (fs::temp_directory_path() / "ipt2nft-run.XXXXXX").string();
        if (mkdtemp(pattern.data())) path = pattern;
    }
    ~Scratch() {
        std::error_code ignored;
        if (!path.empty()) fs::remove_all(path, ignored);
    }
};

void fill_scratch(const Scratch& scratch, const std::string& text) {
    fs::create_directory(scratch.path / "bin");
    fs::create_directory(scratch.path / "home");
    write_file(scratch.path / "bin" / "record", recorder,
               fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                   fs::perms::others_exec);
    for (auto program : recorded_programs) fs::create_symlink("record", scratch.path / "bin" / program);
    auto readable = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
    write_file(scratch.path / "prelude", prelude, readable);
    write_file(scratch.path / "script", text, readable);
    // Root runs the sandbox as nobody, who must write here.
    fs::permissions(scratch.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                      fs::perms::others_read | fs::perms::others_exec);
    if (geteuid() == 0) {
        (void)!chown(scratch.path.c_str(), 65534, 65534);
        (void)!chown((scratch.path / "home").c_str(), 65534, 65534);
    }
}

SandboxRequest sandbox_request(const Scratch& scratch, const std::string& name, const ScriptRunOptions& options) {
    SandboxRequest r;
    std::string in(inside);
    std::error_code ec;
    fs::path shown = name == "<stdin>" ? fs::path(name) : fs::absolute(name, ec);
    r.argv = {"/bin/bash", "--noprofile", "--norc", in + "/prelude", in + "/script", shown.string()};
    r.argv.insert(r.argv.end(), options.arguments.begin(), options.arguments.end());
    r.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + in + "/home",
             "LANG=C.UTF-8", "TERM=dumb"};
    r.env.insert(r.env.end(), options.environment.begin(), options.environment.end());
    if (name != "<stdin>") r.visible.push_back(shown.parent_path().string());  // beside it: what it sources
    r.scratch = scratch.path.string();
    r.scratch_inside = in;
    for (auto dir : program_directories)
        for (auto program : recorded_programs)
            r.overlays.emplace_back(in + "/bin/record", fmt::format("{}/{}", dir, program));
    r.output = (scratch.path / "output").string();
    r.timeout_seconds = options.timeout_seconds;
    return r;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The last lines the script printed, for the message that says it failed.
std::string output_tail(const fs::path& path) {
    std::istringstream text(read_file(path));
    std::deque<std::string> last;
    for (std::string line; std::getline(text, line);) {
        last.push_back(std::move(line));
        if (last.size() > 6) last.pop_front();
    }
    std::string tail;
    for (const auto& line : last) tail += line + '\n';
    return tail.empty() ? "" : "; it printed:\n" + tail;
}

// A word as the replay reads it back: bare when it holds no shell character, else single-quoted.
void append_word(std::string_view word, std::string& out) {
    bool bare = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("_./:,=+@%-^").find(c) != std::string_view::npos;
    });
    if (bare) {
        out += word;
        return;
    }
    out += '\'';
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
}

// Reads the calls from the request pipe as the recorders write them and answers each, on the
// answer pipe, with the status `answer` gives.
class CallServer {
public:
    CallServer(const Scratch& scratch, const std::string& name, SourceManager& sources, const CallAnswer& answer)
        : scratch_(scratch), name_(name), sources_(sources), answer_(answer) {}

    void serve(int requests, int answers) {
        char buffer[4096];
        ssize_t n = read(requests, buffer, sizeof buffer);
        for (ssize_t k = 0; k < n; ++k) {
            if (buffer[k] != '\0') {
                field_ += buffer[k];
                continue;
            }
            fields_.push_back(std::move(field_));
            field_.clear();
            // PID, place, program, input, count, then count arguments.
            if (fields_.size() < 5 || fields_.size() < 5 + std::stoul(fields_[4])) continue;
            std::string status = fmt::format("{} {}\n", fields_[0], answer_(make_call()));
            (void)!write(answers, status.data(), status.size());
            fields_.clear();
        }
    }

private:
    // The call as a line of script, its origin the place the prelude exported.
    RecordedCall make_call() {
        RecordedCall call;
        const std::string& at = fields_[1];
        call.program = fields_[2];
        call.arguments.assign(fields_.begin() + 5, fields_.end());
        size_t colon = at.rfind(':');
        std::string file = colon == std::string::npos ? name_ : at.substr(0, colon);
        uint32_t line = colon == std::string::npos ? 1 : static_cast<uint32_t>(std::stoul(at.substr(colon + 1)));
        bool copy = file == std::string(inside) + "/script";
        LineOrigin origin{sources_.derived().keep(copy ? name_ : file), line};
        std::string command = call.program;
        for (const auto& word : call.arguments) {
            command += ' ';
            append_word(word, command);
        }
        auto add_line = [&](std::string_view text) {
            call.text += text;
            call.text += '\n';
            call.origins.push_back(origin);
        };
        if (fields_[3].empty()) {
            add_line(command);
            return call;
        }
        // A restore's input as a here-document its own lines cannot end.
        std::string input = read_file(scratch_.path / fs::path(fields_[3]).filename());
        std::string delimiter = "IPT2NFT_INPUT";
        while (input.find(delimiter) != std::string::npos) delimiter += '_';
        add_line(command + " <<'" + delimiter + "'");
        std::istringstream lines(input);
        for (std::string l; std::getline(lines, l);) add_line(l);
        add_line(delimiter);
        return call;
    }

    const Scratch& scratch_;
    const std::string& name_;
    SourceManager& sources_;
    const CallAnswer& answer_;
    std::vector<std::string> fields_;  // of the call being read
    std::string field_;                // being read
};

}  // namespace

bool run_recorded_script(const std::string& name, const std::string& text, const ScriptRunOptions& options,
                         SourceManager& sources, const CallAnswer& answer, std::string& error) {
    Scratch scratch;
    if (scratch.path.empty()) {
        error = fmt::format("--run cannot make its scratch directory: {}", std::strerror(errno));
        return false;
    }
    try {
        fill_scratch(scratch, text);
    } catch (const fs::filesystem_error& e) {
        error = fmt::format("--run cannot fill its scratch directory: {}", e.what());
        return false;
    }
    // Held open for reading and writing here, neither pipe ever blocks an open inside.
    Pipe requests(scratch.path / "requests"), answers(scratch.path / "answers");
    if (requests.fd < 0 || answers.fd < 0) {
        error = fmt::format("--run cannot make its pipes: {}", std::strerror(errno));
        return false;
    }
    CallServer server(scratch, name, sources, answer);
    SandboxRequest request = sandbox_request(scratch, name, options);
    request.service_fd = requests.fd;
    request.serve = [&] { server.serve(requests.fd, answers.fd); };
    SandboxResult result = run_sandboxed(request);
    switch (result.outcome) {
        case SandboxResult::Outcome::not_started: error = "--run cannot start the sandbox: " + result.error; break;
        case SandboxResult::Outcome::timed_out:
            error = fmt::format("the script did not end within {} s under --run (--run-timeout){}",
                                options.timeout_seconds, output_tail(scratch.path / "output"));
            break;
        case SandboxResult::Outcome::killed:
            error = fmt::format("the script was killed by signal {} under --run{}", result.status,
                                output_tail(scratch.path / "output"));
            break;
        case SandboxResult::Outcome::exited:
            if (result.status == 0) return true;
            error = fmt::format(
                "the script exited with status {} under --run: what it ran is not a whole "
                "ruleset{}",
                result.status, output_tail(scratch.path / "output"));
            break;
    }
    return false;
}

}  // namespace ipt2nft
