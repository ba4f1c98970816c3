// The keeper process of apply --confirm and the question on the terminal.
#include "cli/confirm.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.hpp"

namespace ipt2nft::cli {

namespace {

using Clock = std::chrono::steady_clock;

// What the terminal side tells the keeper, and the keeper tells back.
constexpr char keep = 'k', roll_back = 'r', kept = 'K', rolled_back = 'R', failed = 'F';

// SIGUSR1 (keep) and SIGUSR2 (roll back now), which the keeper reads from a signalfd.
sigset_t keeper_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGUSR2);
    return signals;
}

int milliseconds_left(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

// Said to the keeper's stderr (gone with a dead session) and to syslog (`journalctl -t ipt2nft`).
void report(const std::string& text) {
    std::cerr << "ipt2nft: " << text << std::endl;
    syslog(LOG_NOTICE, "%s", text.c_str());
}

char put_back(netlink::KernelSession& session, const netlink::Batch& rollback) {
    netlink::SendOutcome sent = session.send(rollback);
    if (sent.failure.empty() && sent.refused.empty()) {
        report("the new rules were not confirmed: the tables they replaced are back");
        return rolled_back;
    }
    std::string why = sent.failure;
    for (const auto& r : sent.refused) {
        const netlink::MessageOrigin* origin = rollback.origin(r.sequence);
        why +=
            fmt::format("{}{}: {}", why.empty() ? "" : "; ", origin ? origin->what : "batch", std::strerror(r.error));
    }
    report("the new rules were not confirmed, and putting the old tables back failed: " + why);
    return failed;
}

// The keeper: waits for a word from the terminal side (which may die), SIGUSR1 (keep) or SIGUSR2
// (roll back now) until the deadline, then rolls back.
[[noreturn]] void keeper(netlink::KernelSession& session, const netlink::Batch& rollback, int from_asker, int to_asker,
                         Clock::time_point deadline) {
    openlog("ipt2nft", LOG_PID, LOG_USER);
    // Whoever reads the command's output (a script's `$(...)`, a pipe) must not wait for the
    // keeper: it keeps a terminal's stderr alone, and says the rest to syslog.
    int nothing = open("/dev/null", O_RDWR | O_CLOEXEC);
    dup2(nothing, STDIN_FILENO);
    dup2(nothing, STDOUT_FILENO);
    if (!isatty(STDERR_FILENO)) dup2(nothing, STDERR_FILENO);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    sigset_t wanted = keeper_signals();
    int signals = signalfd(-1, &wanted, SFD_CLOEXEC);
    pollfd watched[2] = {{signals, POLLIN, 0}, {from_asker, POLLIN, 0}};
    char outcome = 0;
    while (!outcome) {
        int ready = poll(watched, 2, milliseconds_left(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            outcome = put_back(session, rollback);
            break;
        }
        char word = 0;
        if (watched[0].revents & POLLIN) {
            signalfd_siginfo info{};
            if (read(signals, &info, sizeof info) == sizeof info) word = info.ssi_signo == SIGUSR1 ? keep : roll_back;
        } else if (read(from_asker, &word, 1) != 1) {
            watched[1].fd = -1;  // the asker is gone: only a signal or the deadline decides now
            continue;
        }
        if (word == keep) {
            report("the new rules are confirmed");
            outcome = kept;
        } else if (word == roll_back) {
            outcome = put_back(session, rollback);
        }
    }
    [[maybe_unused]] auto told = write(to_asker, &outcome, 1);
    _exit(outcome == failed ? 1 : 0);
}

// Forks the keeper in a session of its own (a dying terminal's SIGHUP does not reach it) and
// returns its pid, or -1.
pid_t start_keeper(netlink::KernelSession& session, const netlink::Batch& rollback, int from_asker, int to_asker,
                   std::initializer_list<int> asker_ends, const int (&tell_pid)[2], Clock::time_point deadline) {
    // SIGUSR1 and SIGUSR2 are blocked before the fork, so that one sent at once is not lost.
    sigset_t wanted = keeper_signals();
    sigprocmask(SIG_BLOCK, &wanted, nullptr);
    pid_t middle = fork();
    if (middle < 0) return -1;
    if (middle == 0) {
        setsid();
        pid_t k = fork();
        if (k == 0) {
            // The asker's ends: with them open here, the asker's death would never read as EOF.
            for (int fd : asker_ends) close(fd);
            close(tell_pid[0]);
            close(tell_pid[1]);
            keeper(session, rollback, from_asker, to_asker, deadline);
        }
        [[maybe_unused]] auto told = write(tell_pid[1], &k, sizeof k);
        _exit(0);
    }
    waitpid(middle, nullptr, 0);
    pid_t k = -1;
    if (read(tell_pid[0], &k, sizeof k) != sizeof k) k = -1;
    sigprocmask(SIG_UNBLOCK, &wanted, nullptr);
    return k;
}

// "y" or "yes" read from the terminal before the deadline.
bool answered_yes(Clock::time_point deadline, int seconds, pid_t keeper) {
    std::cerr << fmt::format(
                     "ipt2nft: applied; without a yes in {} s the tables it replaced come back (keeper pid {}).\n"
                     "ipt2nft: keep the new rules? [y/N] ",
                     seconds, keeper)
              << std::flush;
    std::string line;
    for (char c = 0; c != '\n';) {
        pollfd in{STDIN_FILENO, POLLIN, 0};
        if (poll(&in, 1, milliseconds_left(deadline)) <= 0 || read(STDIN_FILENO, &c, 1) != 1) {
            std::cerr << "\n";
            return false;
        }
        if (c != '\n') line += c;
    }
    return line == "y" || line == "Y" || line == "yes";
}

// Without a keeper, the old tables come back at once.
int put_back_at_once(netlink::KernelSession& session, const netlink::Batch& rollback) {
    std::cerr << "ipt2nft: cannot start the keeper: " << std::strerror(errno) << "; putting the old tables back\n";
    return put_back(session, rollback) == rolled_back ? input_error : internal_error;
}

}  // namespace

int confirm(netlink::KernelSession& session, const netlink::Batch& rollback, int seconds) {
    int to_keeper[2], from_keeper[2], keeper_pid[2];
    if (pipe2(to_keeper, O_CLOEXEC) || pipe2(from_keeper, O_CLOEXEC) || pipe2(keeper_pid, O_CLOEXEC))
        return put_back_at_once(session, rollback);
    auto deadline = Clock::now() + std::chrono::seconds(seconds);
    pid_t k = start_keeper(session, rollback, to_keeper[0], from_keeper[1], {to_keeper[1], from_keeper[0]}, keeper_pid,
                           deadline);
    close(to_keeper[0]);
    close(from_keeper[1]);
    if (k < 0) return put_back_at_once(session, rollback);
    if (!isatty(STDIN_FILENO)) {
        std::cerr << fmt::format(
            "ipt2nft: applied; the tables it replaced come back in {} s unless `kill -USR1 {}` keeps the new rules "
            "(`kill -USR2 {}` puts the old ones back now)\n",
            seconds, k, k);
        return ok;
    }
    char word = answered_yes(deadline, seconds, k) ? keep : roll_back;
    [[maybe_unused]] auto told = write(to_keeper[1], &word, 1);
    char outcome = 0;
    if (read(from_keeper[0], &outcome, 1) != 1) outcome = failed;
    return outcome == kept ? ok : input_error;
}

}  // namespace ipt2nft::cli
