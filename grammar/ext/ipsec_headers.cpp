// esp, ah and ipcomp matches: the SPI (CPI) of an IPsec header, and ip6tables' AH length and reserved bits.
#include <fmt/format.h>

#include "grammar/ext/needs_protocol.hpp"

namespace ipt2nft::grammar {

namespace {

// A range stays a range even when it is every SPI: like a port range, it needs the first
// fragment, as xt_esp and xt_ah do, where `meta l4proto` alone would not.
void lower_spi(const OptionUse& o, PayloadField field, LowerContext& ctx) {
    auto range = ctx.values.number_range(o.args[0], UINT32_MAX, "SPI");
    if (!range) return;
    ctx.match(
        Compare{
            PayloadSelector{field}, o.inverted ? Op::neq : Op::eq, number_or_range(range->first, range->second), {}},
        o.span);
}

void lower_esp(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 50, "esp")) return;
    if (auto* o = use.find("espspi")) lower_spi(*o, PayloadField::esp_spi, ctx);
}

// ip6t_ah finds AH among the extension headers, as nft's transport header does in IPv6 (it stops
// at AH); --ahlen is the header's length in bytes, (hdrlength + 2) * 4, 0 for no test; --ahres
// requires the reserved bits to be zero.
void lower_ah6(const ExtensionUse& use, LowerContext& ctx) {
    if (ctx.protocol && *ctx.protocol != 0 && *ctx.protocol != 51) {
        // iptables-nft writes -p as `meta l4proto`, which is AH where there is AH.
        ctx.untranslatable(use,
                           "with -p naming another protocol than ah the rule matches no packet (the protocol "
                           "of a packet with AH is ah), and nft refuses to load the conflicting tests");
        return;
    }
    const OptionUse* spi = use.find("ahspi");
    const OptionUse* length = use.find("ahlen");
    const OptionUse* reserved = use.find("ahres");
    if (spi) lower_spi(*spi, PayloadField::ah_spi, ctx);
    bool length_tested = false;
    if (length) {
        auto bytes = ctx.values.number(length->args[0], 0, UINT32_MAX, "AH length");
        if (!bytes) return;
        bool possible = *bytes % 4 == 0 && *bytes >= 8 && *bytes / 4 - 2 <= 255;
        if (*bytes != 0 && !possible && !length->inverted) {
            ctx.untranslatable(use, fmt::format("no AH header is {} bytes long (a multiple of 4 from 8 to 1028): "
                                                "the rule matches no packet",
                                                *bytes));
            return;
        }
        length_tested = *bytes != 0 && possible;  // an impossible length negated: any AH header
        if (length_tested)
            ctx.match(Compare{PayloadSelector{PayloadField::ah_hdrlength},
                              length->inverted ? Op::neq : Op::eq,
                              *bytes / 4 - 2,
                              {}},
                      length->span);
    }
    if (reserved)
        ctx.match(Compare{PayloadSelector{PayloadField::ah_reserved}, Op::eq, uint64_t{0}, {}}, reserved->span);
    // Without a test of its own the match still needs an AH header: every SPI, as a range.
    if (!spi && !reserved && !length_tested)
        ctx.match(
            Compare{PayloadSelector{PayloadField::ah_spi}, Op::eq, make_range(uint64_t{0}, uint64_t{UINT32_MAX}), {}},
            use.span);
}

void lower_ah(const ExtensionUse& use, LowerContext& ctx) {
    if (ctx.family == Family::ipv6) return lower_ah6(use, ctx);
    for (const char* six_only : {"ahlen", "ahres"})
        if (auto* o = use.find(six_only)) {
            ctx.diags.error(o->span, fmt::format("--{} is an option of ip6tables' ah match only", six_only),
                            "unknown-option");
            return;
        }
    if (!require_protocol(use, ctx, 51, "ah")) return;
    if (auto* o = use.find("ahspi")) lower_spi(*o, PayloadField::ah_spi, ctx);
}

// IPComp's CPI is 16 bits, which xt_ipcomp compares with a range of 32-bit numbers.
void lower_ipcomp(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 108, "ipcomp")) return;
    if (const OptionUse* reserved = use.find("compres"))
        ctx.diags.warning(reserved->span, "the kernel's ipcomp match ignores --compres: it is left out",
                          "ignored-option");
    const OptionUse* o = use.find("ipcompspi");
    // libxt_ipcomp (iptables 1.8.9) sends a range of 0 to 0 when none is given: CPI 0 alone.
    std::pair<uint64_t, uint64_t> range{0, 0};
    if (o) {
        auto given = ctx.values.number_range(o->args[0], UINT32_MAX, "CPI");
        if (!given) return;
        range = *given;
    } else {
        ctx.diags.warning(use.span,
                          "-m ipcomp without --ipcompspi matches CPI 0 alone, as iptables 1.8.9 sends it to the "
                          "kernel and as translated here: write --ipcompspi 0:65535 for any CPI",
                          "ipcomp-cpi-zero");
    }
    bool inverted = o && o->inverted;
    if (range.first > UINT16_MAX) {
        if (!inverted)
            return ctx.untranslatable(use, "an IPComp CPI is 16 bits, none above 65535: the rule matches no packet");
        range = {0, UINT16_MAX};  // every IPComp header
        inverted = false;
    }
    range.second = std::min<uint64_t>(range.second, UINT16_MAX);
    // Every CPI stays a range: like an SPI's, it needs the first fragment.
    ctx.match(Compare{PayloadSelector{PayloadField::comp_cpi},
                      inverted ? Op::neq : Op::eq,
                      number_or_range(range.first, range.second),
                      {}},
              o ? o->span : use.span);
}

}  // namespace

extern const Extension esp_match{"esp", {{"espspi", 1, true}}, lower_esp};
extern const Extension ah_match{"ah", {{"ahspi", 1, true}, {"ahlen", 1, true}, {"ahres", 0, false}}, lower_ah};
extern const Extension ipcomp_match{"ipcomp", {{"ipcompspi", 1, true}, {"compres", 0, false}}, lower_ipcomp};

}  // namespace ipt2nft::grammar
