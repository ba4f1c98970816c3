// hashlimit match: a token bucket per address and port, as nft's meter keeps one per set element.
#include <fmt/format.h>

#include <cctype>

#include "grammar/ext/rates.hpp"
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

constexpr size_t name_limit = 15;                 // the kernel's name[IFNAMSIZ], less its NUL
constexpr uint64_t ticks_per_second = 1'000'000;  // XT_HASHLIMIT_SCALE_v2
constexpr uint64_t burst_limit = 1'000'000;       // XT_HASHLIMIT_BURST_MAX
constexpr uint32_t default_burst = 5;

// The modes' bits, in the order iptables-translate writes the key's fields.
enum Mode : uint8_t { dstip = 1, dstport = 2, srcip = 4, srcport = 8 };

std::optional<uint8_t> read_mode(const Word& w, Diagnostics& diags) {
    uint8_t mode = 0;
    std::string_view rest = w.text;
    while (!rest.empty()) {
        size_t cut = rest.find_first_of(",|");
        std::string_view token = rest.substr(0, cut);
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
        if (token.empty()) continue;  // strtok skips empty tokens
        if (token == "dstip")
            mode |= dstip;
        else if (token == "dstport")
            mode |= dstport;
        else if (token == "srcip")
            mode |= srcip;
        else if (token == "srcport")
            mode |= srcport;
        else {
            diags.error(w.span, fmt::format("'{}' is not a hashlimit mode (srcip, srcport, dstip, dstport)", token),
                        "bad-value");
            return std::nullopt;
        }
    }
    return mode;
}

// libxt_hashlimit's burst: leading digits, a `k` or `m` after them a multiple of 1024 or 1024².
std::optional<uint32_t> read_burst(const Word& w, Diagnostics& diags) {
    size_t digits = 0;
    while (digits < w.text.size() && std::isdigit(static_cast<unsigned char>(w.text[digits]))) ++digits;
    uint64_t n = 0;
    bool fits = digits > 0 && digits <= 7;
    for (size_t i = 0; fits && i < digits; ++i) n = n * 10 + static_cast<uint64_t>(w.text[i] - '0');
    if (fits && digits < w.text.size()) n *= w.text[digits] == 'm' ? 1024 * 1024 : w.text[digits] == 'k' ? 1024 : 1;
    if (!fits || n == 0 || n > burst_limit) {
        diags.error(w.span, fmt::format("bad --hashlimit-burst '{}': 1 to {} packets", w.text, burst_limit),
                    "bad-value");
        return std::nullopt;
    }
    return static_cast<uint32_t>(n);
}

std::optional<uint8_t> read_prefix(const ExtensionUse& use, std::string_view option, LowerContext& ctx) {
    const OptionUse* o = use.find(option);
    if (!o) return std::nullopt;
    unsigned bits = ctx.family == Family::ipv4 ? 32 : 128;
    auto length = ctx.values.number(o->args[0], 0, bits, "prefix length");
    if (!length || *length == bits) return std::nullopt;
    return static_cast<uint8_t>(*length);
}

// What nft's meter cannot keep as xt_hashlimit keeps it; reported, and false.
bool translatable(const ExtensionUse& use, const OptionUse& rate, uint8_t mode, LowerContext& ctx) {
    if (size_t b = rate.args[0].text.find("b/s"); b != std::string::npos && b > 0) {
        ctx.untranslatable(use,
                           "hashlimit's byte mode counts 16-byte chunks against a credit refilled a second at a time "
                           "(--hashlimit-burst counts refills), which nft's byte limit does not: no faithful "
                           "translation");
        return false;
    }
    if (use.find("hashlimit-rate-match") || use.find("hashlimit-rate-interval")) {
        ctx.untranslatable(use,
                           "nft's limit has no rate measurement over an interval: --hashlimit-rate-match has no "
                           "nft translation");
        return false;
    }
    if (mode == 0) {
        ctx.untranslatable(use,
                           "without --hashlimit-mode every packet shares one bucket by its --hashlimit-name, "
                           "which nft's meter cannot key: give a mode, or use -m limit in a rule of its own");
        return false;
    }
    bool ports = mode & (dstport | srcport);
    bool port_protocol = ctx.protocol && (*ctx.protocol == 6 || *ctx.protocol == 17 || *ctx.protocol == 33 ||
                                          *ctx.protocol == 132 || *ctx.protocol == 136);
    if (ports && !port_protocol) {
        ctx.untranslatable(use,
                           "xt_hashlimit keys a packet without ports (ICMP, ...) by port 0, nft's th dport "
                           "reads its header's bytes: with srcport or dstport, add -p tcp, udp, sctp, dccp or "
                           "udplite");
        return false;
    }
    return true;
}

// The key's fields, as iptables-translate orders them.
ConcatSelector meter_key(uint8_t mode, Family family) {
    bool v4 = family == Family::ipv4;
    ConcatSelector key{};
    if (mode & dstip) key.push(PayloadSelector{v4 ? PayloadField::ip_daddr : PayloadField::ip6_daddr});
    if (mode & dstport) key.push(PayloadSelector{PayloadField::th_dport});
    if (mode & srcip) key.push(PayloadSelector{v4 ? PayloadField::ip_saddr : PayloadField::ip6_saddr});
    if (mode & srcport) key.push(PayloadSelector{PayloadField::th_sport});
    return key;
}

// An optional count: false if it is given and bad.
bool read_count(const ExtensionUse& use, std::string_view option, uint64_t min, LowerContext& ctx,
                std::optional<uint32_t>& out) {
    const OptionUse* o = use.find(option);
    if (!o) return true;
    auto n = ctx.values.number(o->args[0], min, UINT32_MAX, option);
    if (n) out = static_cast<uint32_t>(*n);
    return n.has_value();
}

void lower_hashlimit(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* above = use.find("hashlimit-above");
    const OptionUse* rate = above ? above : use.find("hashlimit-upto");
    uint8_t mode = 0;
    if (const OptionUse* o = use.find("hashlimit-mode")) {
        auto m = read_mode(o->args[0], ctx.diags);
        if (!m) return;
        mode = *m;
    }
    const Word& name = use.find("hashlimit-name")->args[0];
    if (name.text.empty() || name.text.size() > name_limit) {
        ctx.diags.error(name.span, fmt::format("a hashlimit's name has 1 to {} characters", name_limit), "bad-value");
        return;
    }
    if (!translatable(use, *rate, mode, ctx)) return;
    Meter m;
    m.name = name.text;
    m.key = meter_key(mode, ctx.family);
    m.over = (above != nullptr) != rate->inverted;
    uint64_t unit = 1;
    auto limit = read_rate(rate->args[0], ticks_per_second, false, "hashlimit", ctx.diags, &unit);
    if (!limit) return;
    m.limit = *limit;
    m.limit.burst = default_burst;
    if (const OptionUse* o = use.find("hashlimit-burst")) {
        auto burst = read_burst(o->args[0], ctx.diags);
        if (!burst) return;
        m.limit.burst = *burst;
    }
    if (mode & srcip) m.source_prefix = read_prefix(use, "hashlimit-srcmask", ctx);
    if (mode & dstip) m.destination_prefix = read_prefix(use, "hashlimit-dstmask", ctx);
    // The table's size, buckets and collection interval are the kernel's business; only the
    // most entries (the set's size) and their lifetime change what matches.
    std::optional<uint32_t> expire, unused;
    if (!read_count(use, "hashlimit-htable-expire", 1, ctx, expire) ||
        !read_count(use, "hashlimit-htable-gcinterval", 1, ctx, unused) ||
        !read_count(use, "hashlimit-htable-size", 0, ctx, unused) ||
        !read_count(use, "hashlimit-htable-max", 1, ctx, m.size))
        return;
    // An entry lasts the rate's unit after its last packet, unless --hashlimit-htable-expire says.
    m.timeout_ms = expire ? *expire : static_cast<uint32_t>(unit * 1000);
    ctx.stateful(m, use.span);
}

}  // namespace

// libxt_hashlimit's own checks: a rate, one way; a name.
extern const Extension hashlimit_match{
    "hashlimit",
    {{"hashlimit-upto", 1, true},
     {"hashlimit-above", 1, true},
     {"hashlimit", 1, true, "hashlimit-upto"},
     {"hashlimit-srcmask", 1, false},
     {"hashlimit-dstmask", 1, false},
     {"hashlimit-burst", 1, false},
     {"hashlimit-htable-size", 1, false},
     {"hashlimit-htable-max", 1, false},
     {"hashlimit-htable-gcinterval", 1, false},
     {"hashlimit-htable-expire", 1, false},
     {"hashlimit-mode", 1, false},
     {"hashlimit-name", 1, false},
     {"hashlimit-rate-match", 0, false},
     {"hashlimit-rate-interval", 1, false}},
    lower_hashlimit,
    {.exactly_one_of = {"hashlimit-upto", "hashlimit-above"}, .needs_one_of = {"hashlimit-name"}}};

}  // namespace ipt2nft::grammar
