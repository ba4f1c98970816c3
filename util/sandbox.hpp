// A program run where it cannot touch the host: namespaces of its own, as nobody, read-only files.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace ipt2nft {

struct SandboxRequest {
    std::vector<std::string> argv;  // argv[0] is a path inside the sandbox
    std::vector<std::string> env;   // NAME=VALUE: the whole environment
    // A directory of the host the program may write, and where the sandbox shows it.
    std::string scratch, scratch_inside;
    // Directories of the host kept visible (read-only) where a fresh directory would hide them:
    // the script's own, in /tmp.
    std::vector<std::string> visible;
    // Files bound over paths of the host's filesystem inside (a program replaced by another),
    // each where the path exists.
    std::vector<std::pair<std::string, std::string>> overlays;  // {file inside, path}
    std::string output;  // a file of the host that gets the program's stdout and stderr
    int timeout_seconds = 300;
    // A file descriptor the caller serves while the program runs: `serve` is called each time
    // it is readable (the program's questions to the caller).
    int service_fd = -1;
    std::function<void()> serve;
};

struct SandboxResult {
    enum class Outcome { exited, killed, timed_out, not_started } outcome = Outcome::not_started;
    int status = 0;     // the exit status, or the signal that killed it
    std::string error;  // why it did not start
};

// Runs the request's program in new user, mount, network, PID, IPC and UTS namespaces: root inside
// is nobody (65534) outside when the caller is root, else the caller; every mount is read-only
// but the scratch directory and fresh /tmp, /var/tmp, /run and /dev/shm (which show only the
// `visible` directories of the host's); no capabilities, no new
// privileges; stdin is /dev/null. The whole sandbox is killed at the timeout.
SandboxResult run_sandboxed(const SandboxRequest& request);

}  // namespace ipt2nft
