// The apply pipeline: the translate pipeline's ruleset, as one netlink batch, into the kernel.
#pragma once
#include <string>

#include "driver/translate.hpp"

namespace ipt2nft {

struct ApplyRequest {
    TranslateRequest input;   // the inputs, family and counters; its format is not used
    bool check_only = false;  // the kernel validates the batch and commits nothing
    std::string netns;        // a name under /run/netns or a path; empty: this process's
};

// Nothing reaches the kernel unless every check passes; then one batch for all tables, which the
// kernel takes whole or not at all. Each refusal is an error at the source of its message.
TranslateResult apply(ApplyRequest request);

}  // namespace ipt2nft
