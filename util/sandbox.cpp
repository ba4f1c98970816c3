// The sandbox: clone into new namespaces as their PID 1, map root to nobody, mount read-only, exec.
// The child only makes system calls on what the parent prepared: no allocation after the clone.
#include "util/sandbox.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>

namespace ipt2nft {

namespace {

constexpr uid_t nobody = 65534;
// The places the sandbox gets empty and writable: shared scratch space and the sockets of the
// host's daemons (/run) are not reachable from inside.
constexpr const char* fresh_directories[] = {"/tmp", "/var/tmp", "/run", "/dev/shm"};

// What the child uses, made before the clone.
struct Prepared {
    std::vector<char*> argv, env;
    std::vector<std::pair<const char*, const char*>> overlays;
    std::vector<const char*> visible;
    const char* scratch;
    const char* scratch_inside;
    int output_fd;
    int report_fd;  // the child writes why it failed here; closed on exec
    int go_fd;      // the parent says the maps are written
};

// Tells the parent what failed, with errno, and ends the child.
[[noreturn]] void fail(const Prepared& p, const char* what) {
    const char* why = std::strerror(errno);
    (void)!write(p.report_fd, what, std::strlen(what));
    (void)!write(p.report_fd, ": ", 2);
    (void)!write(p.report_fd, why, std::strlen(why));
    _exit(127);
}

bool is_directory(const char* path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void set_read_only(const Prepared& p, const char* path, bool read_only, unsigned flags) {
    mount_attr attr{};
    (read_only ? attr.attr_set : attr.attr_clr) = MOUNT_ATTR_RDONLY;
    if (mount_setattr(AT_FDCWD, path, flags, &attr, sizeof attr) != 0) fail(p, "cannot set the mounts read-only");
}

// Makes `path` and its parents as directories (those in a fresh directory are missing).
void make_directories(const char* path) {
    char partial[4096];
    size_t length = std::strlen(path);
    if (length >= sizeof partial) return;
    for (size_t i = 1; i <= length; ++i)
        if (path[i] == '/' || path[i] == '\0') {
            std::memcpy(partial, path, i);
            partial[i] = '\0';
            mkdir(partial, 0755);
        }
}

// Binds the directory open as `fd` (opened before a fresh directory hid it) at `path`.
bool bind_directory(int fd, const char* path) {
    char from[64];
    std::snprintf(from, sizeof from, "/proc/self/fd/%d", fd);
    make_directories(path);
    return mount(from, path, nullptr, MS_BIND | MS_REC, nullptr) == 0;
}

// The mounts: private, fresh directories, the scratch directory and the visible ones, the
// overlays, then everything read-only but the fresh directories and the scratch directory.
void build_filesystem(const Prepared& p) {
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) fail(p, "cannot make the mounts private");
    int scratch = open(p.scratch, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (scratch < 0) fail(p, "cannot open the scratch directory");
    int visible[8];
    size_t kept = std::min<size_t>(p.visible.size(), std::size(visible));
    for (size_t i = 0; i < kept; ++i) visible[i] = open(p.visible[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
    for (const char* dir : fresh_directories)
        if (is_directory(dir) && mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0)
            fail(p, "cannot mount a tmpfs");
    if (!bind_directory(scratch, p.scratch_inside)) fail(p, "cannot mount the scratch directory");
    for (size_t i = 0; i < kept; ++i)
        if (visible[i] >= 0 && !is_directory(p.visible[i]) && !bind_directory(visible[i], p.visible[i]))
            fail(p, "cannot show the script's directory");
    for (auto [file, path] : p.overlays)
        if (access(path, F_OK) == 0 && mount(file, path, nullptr, MS_BIND, nullptr) != 0)
            fail(p, "cannot bind a program over its path");
    set_read_only(p, "/", true, AT_RECURSIVE);
    for (const char* dir : fresh_directories)
        if (is_directory(dir)) set_read_only(p, dir, false, 0);
    set_read_only(p, p.scratch_inside, false, 0);
}

// The child, PID 1 of its namespaces from the clone on: wait for the maps, become root inside
// without the caller's supplementary groups, build the filesystem, its own /proc, no
// capabilities, then the program.
int sandbox_child(void* prepared) {
    const Prepared& p = *static_cast<const Prepared*>(prepared);
    char byte = 0;
    if (read(p.go_fd, &byte, 1) != 1) fail(p, "the parent did not map the user");
    // Root's groups would still open a device of group root: gone (allowed where root mapped us).
    if (setgroups(0, nullptr) != 0 && errno != EPERM) fail(p, "cannot drop supplementary groups");
    if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) fail(p, "cannot become root in the user namespace");
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(p, "cannot tie the sandbox to its parent");
    build_filesystem(p);
    // A /proc of this PID namespace; where the host's /proc cannot be covered, its read-only one stays.
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(p.output_fd, 1) < 0 || dup2(p.output_fd, 2) < 0)
        fail(p, "cannot redirect the program's input and output");
    // No capability survives the exec, also for root inside: the bounding set is emptied.
    for (int cap = 0; prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0; ++cap) {
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail(p, "cannot drop capabilities");
    execve(p.argv[0], p.argv.data(), p.env.data());
    fail(p, "cannot run the program");
}

bool write_text(const std::string& path, const std::string& text) {
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    return close(fd) == 0 && ok;
}

// Root outside is nobody inside's owner; anyone else keeps their own uid and gid.
bool map_user(pid_t child) {
    std::string proc = "/proc/" + std::to_string(child);
    uid_t uid = geteuid() == 0 ? nobody : geteuid();
    gid_t gid = geteuid() == 0 ? nobody : getegid();
    // Only root may leave setgroups allowed, for the child to drop root's groups.
    return (geteuid() == 0 || write_text(proc + "/setgroups", "deny")) &&
           write_text(proc + "/uid_map", "0 " + std::to_string(uid) + " 1") &&
           write_text(proc + "/gid_map", "0 " + std::to_string(gid) + " 1");
}

struct Pipe {
    int read = -1, write = -1;
    Pipe() {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) == 0) read = fds[0], write = fds[1];
    }
    ~Pipe() {
        if (read >= 0) close(read);
        if (write >= 0) close(write);
    }
    void close_write() {
        close(write);
        write = -1;
    }
};

// Waits for the child until the timeout, serving the request's file meanwhile; kills the child
// (and so the sandbox) at the timeout.
SandboxResult wait_for(pid_t child, const SandboxRequest& request) {
    SandboxResult result;
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, child, 0));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(request.timeout_seconds);
    bool ended = false, out_of_time = false;
    int service = request.service_fd;
    while (pidfd >= 0 && !ended && !out_of_time) {
        pollfd ready[2] = {{pidfd, POLLIN, 0}, {service, POLLIN, 0}};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        int polled = poll(ready, service >= 0 ? 2 : 1, static_cast<int>(std::max<int64_t>(0, left.count())));
        if (polled < 0 && errno == EINTR) continue;
        out_of_time = polled == 0;
        ended = polled > 0 && (ready[0].revents & POLLIN);
        if (ended || polled <= 0 || service < 0) continue;
        if (ready[1].revents & POLLIN)
            request.serve();
        else if (ready[1].revents)
            service = -1;  // a broken file: no more questions are answered
    }
    if (out_of_time) {
        kill(child, SIGKILL);  // PID 1 inside dies with it (PR_SET_PDEATHSIG), and the namespace with PID 1
        result.outcome = SandboxResult::Outcome::timed_out;
    }
    if (pidfd >= 0) close(pidfd);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (result.outcome == SandboxResult::Outcome::timed_out) return result;
    result.outcome = WIFEXITED(status) ? SandboxResult::Outcome::exited : SandboxResult::Outcome::killed;
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
    return result;
}

}  // namespace

SandboxResult run_sandboxed(const SandboxRequest& request) {
    SandboxResult result;
    Pipe report, go;
    int output = open(request.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (report.read < 0 || go.read < 0 || output < 0) {
        result.error = std::string("cannot prepare the sandbox: ") + std::strerror(errno);
        if (output >= 0) close(output);
        return result;
    }
    Prepared p;
    for (const auto& a : request.argv) p.argv.push_back(const_cast<char*>(a.c_str()));
    p.argv.push_back(nullptr);
    for (const auto& e : request.env) p.env.push_back(const_cast<char*>(e.c_str()));
    p.env.push_back(nullptr);
    for (const auto& [file, path] : request.overlays) p.overlays.emplace_back(file.c_str(), path.c_str());
    for (const auto& dir : request.visible) p.visible.push_back(dir.c_str());
    p.scratch = request.scratch.c_str();
    p.scratch_inside = request.scratch_inside.c_str();
    p.output_fd = output;
    p.report_fd = report.write;
    p.go_fd = go.read;
    // clone, not fork and unshare: a new user namespace needs a single-threaded caller, which the
    // tool need not be (ThreadSanitizer's runtime runs a thread of its own).
    static std::vector<char> stack(256 * 1024);
    pid_t child =
        clone(sandbox_child, stack.data() + stack.size(),
              CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD, &p);
    close(output);
    if (child < 0) {
        result.error =
            std::string("cannot create namespaces (user namespaces may be disabled): ") + std::strerror(errno);
        return result;
    }
    report.close_write();
    char byte = 0;
    bool mapped = map_user(child);
    if (mapped) (void)!write(go.write, &byte, 1);
    go.close_write();
    std::string why;
    char buffer[256];
    for (ssize_t n; (n = read(report.read, buffer, sizeof buffer)) > 0;) why.append(buffer, static_cast<size_t>(n));
    if (!why.empty() || !mapped) {
        kill(child, SIGKILL);
        waitpid(child, nullptr, 0);
        result.error = why.empty() ? "cannot map the sandbox's user" : why;
        return result;
    }
    return wait_for(child, request);
}

}  // namespace ipt2nft
