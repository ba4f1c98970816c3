// What the kernel holds of some tables, read back over netlink, and the batch that puts it back:
// apply --confirm's way home.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/netlink/batch.hpp"
#include "backends/netlink/kernel_session.hpp"

namespace ipt2nft::netlink {

struct Snapshot {
    Snapshot();
    ~Snapshot();
    Snapshot(Snapshot&&) noexcept;
    Snapshot& operator=(Snapshot&&) noexcept;
    uint32_t generation = 0;  // of the ruleset read
    struct Table;
    std::vector<Table> tables;  // each asked for, held or not
};

// Reads `tables` whole (objects, chains, sets with their elements, rules with their counters) at
// one generation, read again until two readings agree on it. Empty failure() of the session
// when it worked.
std::optional<Snapshot> take_snapshot(KernelSession& session, const std::vector<TableName>& tables);

// Puts the snapshot back: each of its tables deleted (made first, so that the delete finds it)
// and, where it was held, made again as it was.
Batch restore_batch(const Snapshot& snapshot);

}  // namespace ipt2nft::netlink
