// Test interposer (LD_PRELOAD): another process changes the ruleset just before a batch is sent.
#include <dlfcn.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

int raced = 0;  // batches raced so far; RACE_BATCHES says how many to race

// `nft add table ip racedN` in the network namespace of the socket the batch goes to (the tool
// opens it inside --netns and returns to its own).
void change_ruleset(int socket) {
    std::string table = "raced" + std::to_string(raced++);
    int netns = ioctl(socket, SIOCGSKNS);
    pid_t child = fork();
    if (child == 0) {
        unsetenv("LD_PRELOAD");
        if (netns < 0 || setns(netns, CLONE_NEWNET) != 0) _exit(126);
        execlp("nft", "nft", "add", "table", "ip", table.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::abort();
    close(netns);
}

}  // namespace

extern "C" ssize_t sendmsg(int fd, const msghdr* message, int flags) {
    using Send = ssize_t (*)(int, const msghdr*, int);
    static Send real = reinterpret_cast<Send>(dlsym(RTLD_NEXT, "sendmsg"));
    const char* limit = std::getenv("RACE_BATCHES");
    const bool batch = message->msg_iovlen > 0 && message->msg_iov[0].iov_len >= sizeof(nlmsghdr) &&
                       static_cast<const nlmsghdr*>(message->msg_iov[0].iov_base)->nlmsg_type == NFNL_MSG_BATCH_BEGIN;
    if (batch && limit && raced < std::atoi(limit)) change_ruleset(fd);
    return real(fd, message, flags);
}
