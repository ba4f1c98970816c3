// The apply pipeline: build the ruleset, refuse what the kernel cannot hold, send one batch.
#include "driver/apply.hpp"

#include <fmt/format.h>

#include <cstring>

#include "backends/netlink/batch.hpp"
#include "backends/netlink/kernel_session.hpp"
#include "ir/passes/split_connectionless_rules.hpp"

namespace ipt2nft {

namespace {

// The kernel's errno, with what it most often means for a batch.
std::string refusal_text(int error) {
    switch (error) {
        case EPERM: return "Operation not permitted (apply needs root or CAP_NET_ADMIN)";
        case EOPNOTSUPP: return "Operation not supported (is nf_tables in this kernel?)";
        default: return std::strerror(error);
    }
}

void report_refusals(const netlink::Batch& batch, const netlink::SendOutcome& sent, TranslateResult& result) {
    Span whole_input{0, 0, 0};
    if (!sent.failure.empty()) result.diags.error(whole_input, sent.failure + ": nothing was applied", "kernel");
    for (const auto& r : sent.refused) {
        const netlink::MessageOrigin* origin = batch.origin(r.sequence);
        bool located = origin && origin->span.end > origin->span.begin;
        std::string what = origin ? origin->what : "batch";
        result.diags.error(
            located ? origin->span : whole_input,
            fmt::format("the kernel refuses this {}: {}; nothing was applied", what, refusal_text(r.error)),
            "kernel-refused");
    }
}

}  // namespace

TranslateResult apply(ApplyRequest request) {
    TranslateResult result;
    request.input.script.allow_untranslated = false;  // a rule the kernel cannot run stops the batch
    build_ruleset(request.input, result);
    if (result.diags.has_errors()) return result;
    split_connectionless_rules(result.ruleset);
    netlink::Batch batch = netlink::build_batch(
        result.ruleset, {request.input.script.counters, request.check_only, request.input.script.noflush},
        result.diags);
    if (result.diags.has_errors()) return result;
    netlink::SendOutcome sent = netlink::send_batch(batch, request.netns);
    report_refusals(batch, sent, result);
    result.ok = !result.diags.has_errors();
    return result;
}

}  // namespace ipt2nft
