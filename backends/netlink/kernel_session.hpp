// Sends a netlink batch to nf_tables, in this or another network namespace, and collects what the
// kernel refused.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "backends/netlink/batch.hpp"

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

// `netns`: empty for this process's namespace, else a name under /run/netns or a path.
SendOutcome send_batch(const Batch& batch, const std::string& netns);

}  // namespace ipt2nft::netlink
