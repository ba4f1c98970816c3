// The apply pipeline: the translate pipeline's ruleset, as one netlink batch, into the kernel.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "backends/netlink/batch.hpp"
#include "backends/netlink/kernel_session.hpp"
#include "driver/translate.hpp"

namespace ipt2nft {

struct ApplyRequest {
    TranslateRequest input;   // the inputs, family and counters; its format is not used
    bool check_only = false;  // the kernel validates the batch and commits nothing
    std::string netns;        // a name under /run/netns or a path; empty: this process's
    // --confirm: the tables the input changes are read back first, and the batch that puts them
    // back is kept for the caller.
    std::optional<int> confirm_seconds;
};

struct ApplyResult {
    TranslateResult translated;                       // ok: the kernel took the batch
    std::unique_ptr<netlink::KernelSession> session;  // the namespace's, open
    std::optional<netlink::Batch> rollback;           // --confirm: what puts the old tables back
};

// Nothing reaches the kernel unless every check passes; then one batch for all tables, which the
// kernel takes whole or not at all. Each refusal is an error at the source of its message.
ApplyResult apply(ApplyRequest request);

}  // namespace ipt2nft
