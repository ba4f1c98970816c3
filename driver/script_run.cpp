// --run: the scratch directory (recording programs, the prelude that marks each command's place),
// the sandboxed bash, and the recorded calls turned into a script the replay reads.
#include "driver/script_run.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
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

// The recorder: one call, with the place the prelude exported, appended to `record`; a restore's
// input kept in a file of its own. A query of a chain or a rule (-C, -L CHAIN, -S CHAIN) answers
// "not there", as a fresh ruleset would; every other call succeeds.
constexpr std::string_view recorder = R"(#!/bin/bash
run=/tmp/ipt2nft-run
program=${0##*/}
exec 9>> "$run/lock" && flock 9
count=$(( $(cat "$run/count" 2> /dev/null || echo 0) + 1 ))
echo "$count" > "$run/count"
input=
case $program in *-restore*) input=$run/input.$count; cat > "$input" ;; esac
printf '%s\0' "${IPT2NFT_AT:-}" "$program" "$input" "$#" "$@" >> "$run/record"
case $program in
    iptables | ip6tables | iptables-legacy | ip6tables-legacy | iptables-nft | ip6tables-nft)
        previous=
        for word in "$@"; do
            case $word in -C | --check) exit 1 ;; esac
            case $previous in -L | --list | -S | --list-rules) case $word in -*) ;; *) exit 1 ;; esac ;; esac
            previous=$word
        done ;;
esac
exit 0
)";

// Runs the script as bash would, with the recorders first on PATH and, before every command, its
// file and line exported for them to record (the DEBUG trap, inherited by functions and
// subshells under functrace). $0 is the script's own path.
constexpr std::string_view prelude = R"(export PATH=/tmp/ipt2nft-run/bin:$PATH
set -o functrace
trap 'export IPT2NFT_AT="${BASH_SOURCE[0]}:$LINENO"' DEBUG
script=$1 name=$2
shift 2
BASH_ARGV0=$name
source "$script" "$@"
)";

void write_file(const fs::path& path, std::string_view text, fs::perms mode) {
    std::ofstream(path, std::ios::binary) << text;
    fs::permissions(path, mode);
}

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
    std::string text = read_file(path);
    size_t start = text.size();
    for (int lines = 0; start > 0 && lines < 6; ++lines) start = text.rfind('\n', start - 2) + 1;
    if (start > text.size()) start = 0;
    std::string tail = text.substr(start);
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

// The recorded calls (NUL-separated: place, program, input file, count, arguments) as lines.
RecordedRun recorded_script(const Scratch& scratch, const std::string& name, SourceManager& sources) {
    std::string record = read_file(scratch.path / "record");
    RecordedRun run;
    std::vector<std::string_view> fields;
    for (size_t start = 0, end; start < record.size(); start = end + 1) {
        end = record.find('\0', start);
        if (end == std::string::npos) break;
        fields.emplace_back(record.data() + start, end - start);
    }
    std::string copy = std::string(inside) + "/script";
    auto add_line = [&](std::string_view text, LineOrigin origin) {
        run.text += text;
        run.text += '\n';
        run.origins.push_back(origin);
    };
    for (size_t i = 0; i + 4 <= fields.size();) {
        std::string_view at = fields[i], program = fields[i + 1], input = fields[i + 2];
        size_t count = std::stoul(std::string(fields[i + 3]));
        size_t colon = at.rfind(':');
        std::string_view file = colon == std::string_view::npos ? std::string_view(name) : at.substr(0, colon);
        uint32_t line =
            colon == std::string_view::npos ? 1 : static_cast<uint32_t>(std::stoul(std::string(at.substr(colon + 1))));
        LineOrigin origin{file == copy ? sources.derived().keep(name) : sources.derived().keep(file), line};
        std::string command(program);
        bool query = false;
        for (size_t k = 0; k < count && i + 4 + k < fields.size(); ++k) {
            std::string_view word = fields[i + 4 + k], before = k ? fields[i + 3 + k] : std::string_view();
            bool listed = (before == "-L" || before == "--list" || before == "-S" || before == "--list-rules") &&
                          !word.starts_with('-');
            query = query || word == "-C" || word == "--check" || listed;
            command += ' ';
            append_word(word, command);
        }
        if (query && program.find("tables") != std::string_view::npos && input.empty())
            run.answered_queries.push_back(static_cast<uint32_t>(run.text.size()));
        i += 4 + count;
        if (input.empty()) {
            add_line(command, origin);
            continue;
        }
        // A restore's input as a here-document its own lines cannot end.
        std::string text = read_file(scratch.path / fs::path(input).filename());
        std::string delimiter = "IPT2NFT_INPUT";
        while (text.find(delimiter) != std::string::npos) delimiter += '_';
        add_line(command + " <<'" + delimiter + "'", origin);
        std::istringstream lines(text);
        for (std::string l; std::getline(lines, l);) add_line(l, origin);
        add_line(delimiter, origin);
    }
    return run;
}

}  // namespace

std::optional<RecordedRun> record_script_run(const std::string& name, const std::string& text,
                                             const ScriptRunOptions& options, SourceManager& sources,
                                             std::string& error) {
    Scratch scratch;
    if (scratch.path.empty()) {
        error = fmt::format("--run cannot make its scratch directory: {}", std::strerror(errno));
        return std::nullopt;
    }
    try {
        fill_scratch(scratch, text);
    } catch (const fs::filesystem_error& e) {
        error = fmt::format("--run cannot fill its scratch directory: {}", e.what());
        return std::nullopt;
    }
    // Inside, the script is this copy, read by nobody whatever the original's permissions.
    SandboxResult result = run_sandboxed(sandbox_request(scratch, name, options));
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
            if (result.status == 0) return recorded_script(scratch, name, sources);
            error = fmt::format(
                "the script exited with status {} under --run: its recorded commands are not a "
                "whole ruleset{}",
                result.status, output_tail(scratch.path / "output"));
            break;
    }
    return std::nullopt;
}

}  // namespace ipt2nft
