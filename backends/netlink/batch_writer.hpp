// Writing a batch message by message, for the ruleset's batch and the snapshot's; owners of
// libnftnl's objects.
#pragma once
#include <memory>
#include <new>
#include <optional>

#include "backends/netlink/batch.hpp"
#include "backends/netlink/nftnl.hpp"

namespace ipt2nft::netlink {

template <class T, auto Free>
struct Freer {
    void operator()(T* p) const { Free(p); }
};
using TablePtr = std::unique_ptr<nftnl_table, Freer<nftnl_table, nftnl_table_free>>;
using ChainPtr = std::unique_ptr<nftnl_chain, Freer<nftnl_chain, nftnl_chain_free>>;
using RulePtr = std::unique_ptr<nftnl_rule, Freer<nftnl_rule, nftnl_rule_free>>;
using SetPtr = std::unique_ptr<nftnl_set, Freer<nftnl_set, nftnl_set_free>>;
using ObjectPtr = std::unique_ptr<nftnl_obj, Freer<nftnl_obj, nftnl_obj_free>>;
using ElementsIterPtr =
    std::unique_ptr<nftnl_set_elems_iter, Freer<nftnl_set_elems_iter, nftnl_set_elems_iter_destroy>>;
using ExpressionPtr = std::unique_ptr<nftnl_expr, Freer<nftnl_expr, nftnl_expr_free>>;
using UdataPtr = std::unique_ptr<nftnl_udata_buf, Freer<nftnl_udata_buf, nftnl_udata_buf_free>>;

// A batch with no messages yet, in pages as nft has them: 2 MiB, each with room past its end for
// one message of the largest size (a set element list is a 64 KiB attribute).
Batch empty_batch();

class BatchWriter {
public:
    // `diags`: where what the messages cannot hold is reported (none for a snapshot's batch).
    BatchWriter(Batch& batch, Diagnostics* diags) : batch_(batch), diags_(diags) {}
    Diagnostics* diags() { return diags_; }

    // The header of the next message; its payload is built on it, then `next()` moves on.
    nlmsghdr* message(uint16_t type, uint16_t family, uint16_t flags, MessageOrigin origin);
    // With a generation, the kernel refuses the batch (ERESTART) if the ruleset is no longer
    // that generation's.
    void begin(std::optional<uint32_t> generation = std::nullopt);
    void end();
    void next();
    // The set's elements, in as many messages as their 64 KiB attribute needs.
    void elements(nftnl_set* set, uint16_t family, const MessageOrigin& origin);
    uint32_t new_set_id() { return ++set_ids_; }

private:
    char* buffer() { return static_cast<char*>(nftnl_batch_buffer(batch_.messages.get())); }
    Batch& batch_;
    Diagnostics* diags_;
    uint32_t set_ids_ = 0;
};

}  // namespace ipt2nft::netlink
