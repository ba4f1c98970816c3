// connbytes match: a connection's packet or byte count, or its average packet size, per direction.
#include <fmt/format.h>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

std::optional<CtKey> counter(const Word& mode, Diagnostics& diags) {
    if (mode.text == "packets") return CtKey::packets;
    if (mode.text == "bytes") return CtKey::bytes;
    if (mode.text == "avgpkt") return CtKey::avgpkt;
    diags.error(mode.span, fmt::format("unknown --connbytes-mode '{}' (packets, bytes, avgpkt)", mode.text),
                "bad-value");
    return std::nullopt;
}

std::optional<CtDirection> direction(const Word& dir, Diagnostics& diags) {
    if (dir.text == "original") return CtDirection::original;
    if (dir.text == "reply") return CtDirection::reply;
    if (dir.text == "both") return CtDirection::none;  // nft's key without a direction sums both
    diags.error(dir.span, fmt::format("unknown --connbytes-dir '{}' (original, reply, both)", dir.text), "bad-value");
    return std::nullopt;
}

void lower_connbytes(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* count = use.find("connbytes");
    auto key = counter(use.find("connbytes-mode")->args[0], ctx.diags);
    auto dir = direction(use.find("connbytes-dir")->args[0], ctx.diags);
    auto range = ctx.values.number_range(count->args[0], UINT64_MAX, "count");
    if (!key || !dir || !range) return;
    auto [low, high] = *range;
    if (count->args[0].text.find(':') == std::string::npos) high = UINT64_MAX;
    CtSelector counted{*key, *dir};
    // `N` alone is N up to the largest count: `>= N`. libxt_connbytes negates by swapping the
    // bounds and xt_connbytes then matches outside them, except that equal bounds stay equal:
    // `! --connbytes 5:5` matches 5 (seen in both sources; kept as iptables means it).
    bool inverted = count->inverted && low != high;
    Compare c{counted, Op::eq, Value(low), {}};
    if (high == UINT64_MAX) {
        c.op = inverted ? Op::lt : Op::ge;
    } else if (low != high) {
        c.op = inverted ? Op::neq : Op::eq;
        c.value = make_range(low, high);
    }
    ctx.match(std::move(c), count->span);
}

}  // namespace

extern const Extension connbytes_match{
    "connbytes",
    {{"connbytes", 1, true}, {"connbytes-dir", 1, false}, {"connbytes-mode", 1, false}},
    lower_connbytes,
    // All three options are mandatory in libxt_connbytes.
    {.needs_one_of = {"connbytes"}, .requires_ = {{"connbytes", "connbytes-dir"}, {"connbytes", "connbytes-mode"}}}};

}  // namespace ipt2nft::grammar
