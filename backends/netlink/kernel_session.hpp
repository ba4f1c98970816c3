// The netlink conversation with nf_tables, in this or another network namespace: batches sent
// and what the kernel refused, dumps read, the ruleset's generation.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/netlink/batch.hpp"

struct mnl_socket;
struct nlmsghdr;

namespace ipt2nft::netlink {

struct KernelRefusal {
    uint32_t sequence;  // of the refused message
    int error;          // errno
    uint32_t offset;    // extended ack: the attribute's offset in the message, 0 when not told
};

struct SendOutcome {
    std::string failure;                 // why the batch could not be sent; empty when it was
    std::vector<KernelRefusal> refused;  // empty: every message was taken
};

class KernelSession {
public:
    // `netns`: empty for this process's namespace, else a name under /run/netns or a path. The
    // socket stays in that namespace for the session's life, also in a child after fork().
    explicit KernelSession(const std::string& netns);
    ~KernelSession();
    KernelSession(const KernelSession&) = delete;
    KernelSession& operator=(const KernelSession&) = delete;

    // Empty while the session can talk to the kernel, else why not.
    const std::string& failure() const { return failure_; }
    SendOutcome send(const Batch& batch);
    // The ruleset's generation, which every committed batch changes.
    std::optional<uint32_t> generation();
    // A dump of `type` (NFT_MSG_GET*), its request's attributes added by `request` (a table's name
    // to dump that table's objects alone); each answer handed to `each`. False, with failure(),
    // when the kernel refuses it; a table that is not there is ENOENT in `error`.
    bool dump(uint16_t type, uint16_t family, const std::function<void(nlmsghdr*)>& request,
              const std::function<void(const nlmsghdr*)>& each, int* error = nullptr);

private:
    struct SocketCloser {
        void operator()(mnl_socket* s) const;
    };
    std::string failure_;  // before the socket: opening it says here why it failed
    std::unique_ptr<mnl_socket, SocketCloser> socket_;
    uint32_t sequence_ = 0;
};

}  // namespace ipt2nft::netlink
