// The netlink conversation with nf_tables: socket, namespace, buffer sizes, the batch, the acks.
#include "backends/netlink/kernel_session.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <sched.h>
#include <sys/select.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "backends/netlink/nftnl.hpp"

namespace ipt2nft::netlink {

namespace {

struct SocketCloser {
    void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using Socket = std::unique_ptr<mnl_socket, SocketCloser>;

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};

// Opens the netfilter socket inside `netns`: the socket stays in the namespace it was made in,
// so the process returns to its own right after.
Socket open_socket(const std::string& netns, std::string& failure) {
    Fd own, target;
    if (!netns.empty()) {
        std::string path = netns.find('/') == std::string::npos ? "/run/netns/" + netns : netns;
        own.fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        target.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (target.fd < 0 || own.fd < 0) {
            failure = fmt::format("cannot open network namespace '{}': {}", path, std::strerror(errno));
            return nullptr;
        }
        if (setns(target.fd, CLONE_NEWNET) != 0) {
            failure = fmt::format("cannot enter network namespace '{}': {}", path, std::strerror(errno));
            return nullptr;
        }
    }
    Socket s(mnl_socket_open(NETLINK_NETFILTER));
    int opened = errno;
    if (own.fd >= 0 && setns(own.fd, CLONE_NEWNET) != 0) {
        failure = fmt::format("cannot return to this process's network namespace: {}", std::strerror(errno));
        return nullptr;
    }
    if (!s || mnl_socket_bind(s.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
        failure = fmt::format("cannot open a netfilter netlink socket: {}", std::strerror(s ? errno : opened));
        return nullptr;
    }
    int one = 1;
    // The attribute the kernel refused, told back as its offset in the message (as nft asks).
    mnl_socket_setsockopt(s.get(), NETLINK_EXT_ACK, &one, sizeof one);
    return s;
}

// Room for the whole batch in one send, as nft makes it: without CAP_NET_ADMIN the forced size is
// refused and a batch past the default fails with EMSGSIZE, which is then reported.
void size_buffers(mnl_socket* s, size_t batch_bytes, size_t messages) {
    int send = static_cast<int>(std::min<size_t>(batch_bytes + (1u << 20), size_t{1} << 30));
    setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_SNDBUFFORCE, &send, sizeof send);
    int receive = static_cast<int>(std::min<size_t>(messages * 1024 + (1u << 20), size_t{1} << 30));
    setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVBUFFORCE, &receive, sizeof receive);
}

int collect_error(const nlmsghdr* h, void* data) {
    auto* refused = static_cast<std::vector<KernelRefusal>*>(data);
    if (h->nlmsg_len < mnl_nlmsg_size(sizeof(nlmsgerr))) return MNL_CB_ERROR;
    const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(h));
    if (err->error == 0) return MNL_CB_OK;
    uint32_t offset = 0;
    if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
        size_t skip = sizeof(nlmsgerr) + ((h->nlmsg_flags & NLM_F_CAPPED) ? 0 : mnl_nlmsg_get_payload_len(&err->msg));
        const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(h));
        for (auto* a = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(h, skip));
             mnl_attr_ok(a, static_cast<int>(tail - reinterpret_cast<const char*>(a))); a = mnl_attr_next(a))
            if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS) offset = mnl_attr_get_u32(a);
    }
    refused->push_back({h->nlmsg_seq, -err->error, offset});
    return MNL_CB_OK;
}

}  // namespace

SendOutcome send_batch(const Batch& batch, const std::string& netns) {
    SendOutcome outcome;
    Socket s = open_socket(netns, outcome.failure);
    if (!s) return outcome;
    int count = nftnl_batch_iovec_len(batch.messages.get());
    std::vector<iovec> iov(static_cast<size_t>(count));
    nftnl_batch_iovec(batch.messages.get(), iov.data(), static_cast<uint32_t>(count));
    size_t bytes = 0;
    for (const iovec& part : iov) bytes += part.iov_len;
    size_buffers(s.get(), bytes, batch.message_count());
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    msghdr msg{};
    msg.msg_name = &kernel;
    msg.msg_namelen = sizeof kernel;
    msg.msg_iov = iov.data();
    msg.msg_iovlen = iov.size();
    if (sendmsg(mnl_socket_get_fd(s.get()), &msg, 0) < 0) {
        outcome.failure = fmt::format("the kernel did not take the batch: {}", std::strerror(errno));
        return outcome;
    }
    // The kernel has processed the whole batch when sendmsg returns: what it refused is queued.
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE + (1u << 16) + 64);
    static mnl_cb_t control[NLMSG_MIN_TYPE] = {};
    control[NLMSG_ERROR] = collect_error;
    int fd = mnl_socket_get_fd(s.get());
    for (;;) {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        timeval now{0, 0};
        if (select(fd + 1, &readable, nullptr, nullptr, &now) <= 0) break;
        ssize_t got = mnl_socket_recvfrom(s.get(), buffer.data(), buffer.size());
        if (got < 0) {
            outcome.failure = fmt::format("cannot read the kernel's answer: {}", std::strerror(errno));
            break;
        }
        mnl_cb_run2(buffer.data(), static_cast<size_t>(got), 0, mnl_socket_get_portid(s.get()), nullptr,
                    &outcome.refused, control, NLMSG_MIN_TYPE);
    }
    return outcome;
}

}  // namespace ipt2nft::netlink
