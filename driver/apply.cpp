// The apply pipeline: build the ruleset, refuse what the kernel cannot hold, send one batch.
#include "driver/apply.hpp"

#include <fmt/format.h>
#include <linux/netfilter.h>

#include <algorithm>
#include <cstring>

#include "backends/netlink/batch.hpp"
#include "backends/netlink/kernel_session.hpp"
#include "backends/netlink/snapshot.hpp"
#include "backends/nft/inet_merge.hpp"

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

void report_refusals(const netlink::Batch& batch, const netlink::SendOutcome& sent, bool counters,
                     TranslateResult& result) {
    Span whole_input{0, 0, 0};
    if (!sent.failure.empty()) result.diags.error(whole_input, sent.failure + ": nothing was applied", "kernel");
    for (const auto& r : sent.refused) {
        const netlink::MessageOrigin* origin = batch.origin(r.sequence);
        if (!origin || origin->span.end == origin->span.begin) {
            result.diags.error(whole_input,
                               fmt::format("the kernel refuses this {}: {}; nothing was applied",
                                           origin ? origin->what : "batch", refusal_text(r.error)),
                               "kernel-refused");
            continue;
        }
        // With the expression the kernel names, the option it came from.
        Span part = netlink::refused_source(*origin, r.offset, counters);
        result.diags.error(
            part,
            fmt::format(
                "the kernel refuses this {}: {}; nothing was applied",
                part.begin == origin->span.begin && part.end == origin->span.end ? origin->what : "part of the rule",
                refusal_text(r.error)),
            "kernel-refused");
    }
}

// The kernel refused the batch only because the ruleset is no longer the generation it was for.
bool raced(const netlink::SendOutcome& sent) {
    return sent.failure.empty() && !sent.refused.empty() &&
           std::all_of(sent.refused.begin(), sent.refused.end(),
                       [](const netlink::KernelRefusal& r) { return r.error == ERESTART; });
}

}  // namespace

ApplyResult apply(ApplyRequest request) {
    ApplyResult out;
    TranslateResult& result = out.translated;
    if (!kernel_ruleset(request.input, result)) return out;
    out.session = std::make_unique<netlink::KernelSession>(request.netns);
    netlink::BatchOptions options{request.input.script.counters, request.check_only, request.input.script.noflush};
    if (request.input.script.inet) options.inet = nft::inet_tables(result.ruleset, request.input.script);
    // --confirm: the tables the batch changes are read first, and the batch is sent only if the
    // ruleset is still as read (the kernel checks the generation), so that putting them back
    // cannot undo a change made by someone else in between. A change in between reads them again.
    std::vector<netlink::TableName> touched;
    for (const auto& t : result.ruleset.tables) touched.push_back({nfproto(t.family), t.name});
    for (const InetTable& m : options.inet) touched.push_back({NFPROTO_INET, m.v4->name});
    for (int attempt = 0; attempt < 3; ++attempt) {
        std::optional<netlink::Snapshot> snapshot;
        if (request.confirm_seconds) {
            snapshot = netlink::take_snapshot(*out.session, touched);
            if (!snapshot) {
                std::string why = out.session->failure().empty() ? "it kept changing" : out.session->failure();
                result.diags.error(Span{0, 0, 0},
                                   "cannot read the tables to put back (" + why + "): nothing was applied", "kernel");
                return out;
            }
            options.generation = snapshot->generation;
        }
        Diagnostics told_before;  // a batch built again says nothing new of what its messages cannot hold
        netlink::Batch batch = netlink::build_batch(result.ruleset, options, attempt == 0 ? result.diags : told_before);
        if (result.diags.has_errors()) return out;
        netlink::SendOutcome sent = out.session->send(batch);
        if (snapshot && raced(sent)) continue;
        report_refusals(batch, sent, options.counters, result);
        result.ok = !result.diags.has_errors();
        if (result.ok && snapshot) out.rollback = netlink::restore_batch(*snapshot);
        return out;
    }
    result.diags.error(Span{0, 0, 0},
                       "the ruleset changed between reading it and applying, three times: nothing was applied",
                       "ruleset-changed");
    return out;
}

}  // namespace ipt2nft
