// The netlink conversation with nf_tables: socket, namespace, buffer sizes, the batch, the acks.
#include "backends/netlink/kernel_session.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <sched.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "backends/netlink/nftnl.hpp"

namespace ipt2nft::netlink {

namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};

// Opens the netfilter socket inside `netns`: the socket stays in the namespace it was made in,
// so the process returns to its own right after.
mnl_socket* open_socket(const std::string& netns, std::string& failure) {
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
    mnl_socket* s = mnl_socket_open(NETLINK_NETFILTER);
    int opened = errno;
    if (own.fd >= 0 && setns(own.fd, CLONE_NEWNET) != 0) {
        failure = fmt::format("cannot return to this process's network namespace: {}", std::strerror(errno));
        if (s) mnl_socket_close(s);
        return nullptr;
    }
    if (!s || mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
        failure = fmt::format("cannot open a netfilter netlink socket: {}", std::strerror(s ? errno : opened));
        if (s) mnl_socket_close(s);
        return nullptr;
    }
    int one = 1;
    // The attribute the kernel refused, told back as its offset in the message (as nft asks).
    mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof one);
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

void KernelSession::SocketCloser::operator()(mnl_socket* s) const {
    mnl_socket_close(s);
}

KernelSession::KernelSession(const std::string& netns) : socket_(open_socket(netns, failure_)) {}

KernelSession::~KernelSession() = default;

SendOutcome KernelSession::send(const Batch& batch) {
    SendOutcome outcome;
    if (!socket_) {
        outcome.failure = failure_.empty() ? "no netlink socket" : failure_;
        return outcome;
    }
    int count = nftnl_batch_iovec_len(batch.messages.get());
    std::vector<iovec> iov(static_cast<size_t>(count));
    nftnl_batch_iovec(batch.messages.get(), iov.data(), static_cast<uint32_t>(count));
    size_t bytes = 0;
    for (const iovec& part : iov) bytes += part.iov_len;
    size_buffers(socket_.get(), bytes, batch.message_count());
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    msghdr msg{};
    msg.msg_name = &kernel;
    msg.msg_namelen = sizeof kernel;
    msg.msg_iov = iov.data();
    msg.msg_iovlen = iov.size();
    if (sendmsg(mnl_socket_get_fd(socket_.get()), &msg, 0) < 0) {
        outcome.failure = fmt::format("the kernel did not take the batch: {}", std::strerror(errno));
        return outcome;
    }
    // The kernel has processed the whole batch when sendmsg returns: what it refused is queued.
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE + (1u << 16) + 64);
    mnl_cb_t control[NLMSG_MIN_TYPE] = {};
    control[NLMSG_ERROR] = collect_error;
    int fd = mnl_socket_get_fd(socket_.get());
    for (;;) {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        timeval now{0, 0};
        if (select(fd + 1, &readable, nullptr, nullptr, &now) <= 0) break;
        ssize_t got = mnl_socket_recvfrom(socket_.get(), buffer.data(), buffer.size());
        if (got < 0) {
            outcome.failure = fmt::format("cannot read the kernel's answer: {}", std::strerror(errno));
            break;
        }
        mnl_cb_run2(buffer.data(), static_cast<size_t>(got), 0, mnl_socket_get_portid(socket_.get()), nullptr,
                    &outcome.refused, control, NLMSG_MIN_TYPE);
    }
    return outcome;
}

bool KernelSession::dump(uint16_t type, uint16_t family, const std::function<void(nlmsghdr*)>& request,
                         const std::function<void(const nlmsghdr*)>& each, int* error) {
    if (!socket_) return false;
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE * 4);
    uint32_t sequence = ++sequence_;
    nlmsghdr* h = nftnl_nlmsg_build_hdr(buffer.data(), type, family, NLM_F_DUMP | NLM_F_ACK, sequence);
    request(h);
    if (mnl_socket_sendto(socket_.get(), h, h->nlmsg_len) < 0) {
        failure_ = fmt::format("cannot ask the kernel for its ruleset: {}", std::strerror(errno));
        return false;
    }
    auto callback = [](const nlmsghdr* answer, void* data) {
        (*static_cast<const std::function<void(const nlmsghdr*)>*>(data))(answer);
        return MNL_CB_OK;
    };
    for (;;) {
        ssize_t got = mnl_socket_recvfrom(socket_.get(), buffer.data(), buffer.size());
        if (got < 0) {
            failure_ = fmt::format("cannot read the kernel's ruleset: {}", std::strerror(errno));
            return false;
        }
        int run = mnl_cb_run(buffer.data(), static_cast<size_t>(got), sequence, mnl_socket_get_portid(socket_.get()),
                             callback, const_cast<std::function<void(const nlmsghdr*)>*>(&each));
        if (run == MNL_CB_STOP) return true;
        if (run < 0) {
            if (error) *error = errno;
            if (!error || errno != ENOENT)
                failure_ = fmt::format("the kernel refuses to list its ruleset: {}", std::strerror(errno));
            return false;
        }
    }
}

std::optional<uint32_t> KernelSession::generation() {
    std::optional<uint32_t> id;
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    if (!socket_) return id;
    uint32_t sequence = ++sequence_;
    nlmsghdr* h = nftnl_nlmsg_build_hdr(buffer.data(), NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK, sequence);
    if (mnl_socket_sendto(socket_.get(), h, h->nlmsg_len) < 0) return id;
    for (bool done = false; !done;) {
        ssize_t got = mnl_socket_recvfrom(socket_.get(), buffer.data(), buffer.size());
        if (got < 0) return std::nullopt;
        auto callback = [](const nlmsghdr* answer, void* data) {
            nftnl_gen* gen = nftnl_gen_alloc();
            if (nftnl_gen_nlmsg_parse(answer, gen) == 0)
                *static_cast<std::optional<uint32_t>*>(data) = nftnl_gen_get_u32(gen, NFTNL_GEN_ID);
            nftnl_gen_free(gen);
            return MNL_CB_OK;
        };
        int run = mnl_cb_run(buffer.data(), static_cast<size_t>(got), sequence, mnl_socket_get_portid(socket_.get()),
                             callback, &id);
        done = run <= MNL_CB_STOP;  // the acknowledgement after the answer, read too
    }
    return id;
}

}  // namespace ipt2nft::netlink
