// tcp match: ports, --tcp-flags, --syn, --tcp-option.
#include <fmt/format.h>

#include <algorithm>

#include "grammar/ext/needs_protocol.hpp"
#include "grammar/ext/ports.hpp"

namespace ipt2nft::grammar {

namespace {

// iptables's names: no ECE or CWR, and ALL is the six classic flags (0x3f), so
// `--tcp-flags ALL SYN` also matches an ECN-setup SYN (seen: iptables-nft masks with 0x3f).
constexpr std::pair<std::string_view, uint8_t> tcp_flag_bits[] = {{"FIN", 0x01}, {"SYN", 0x02}, {"RST", 0x04},
                                                                  {"PSH", 0x08}, {"ACK", 0x10}, {"URG", 0x20},
                                                                  {"ALL", 0x3f}, {"NONE", 0x00}};

std::optional<uint8_t> flag_list(const Word& w, LowerContext& ctx) {
    uint8_t bits = 0;
    for (const Word& item : split_list(w)) {
        if (item.text.empty()) continue;  // libxt_tcp reads the list with strtok: `SYN,,ACK,` and `` are fine
        auto it = std::find_if(std::begin(tcp_flag_bits), std::end(tcp_flag_bits),
                               [&](auto& f) { return equals_nocase(f.first, item.text); });
        if (it == std::end(tcp_flag_bits)) {
            ctx.diags.error(item.span,
                            fmt::format("unknown TCP flag '{}' (FIN, SYN, RST, PSH, ACK, URG, ALL, NONE)", item.text),
                            "bad-tcp-flag");
            return std::nullopt;
        }
        bits |= it->second;
    }
    return bits;
}

void lower_tcp(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 6, "tcp")) return;
    if (auto* o = use.find("source-port")) lower_port_option(*o, PayloadField::tcp_sport, ctx);
    if (auto* o = use.find("destination-port")) lower_port_option(*o, PayloadField::tcp_dport, ctx);
    const OptionUse* flags = use.find("tcp-flags");
    const OptionUse* syn = use.find("syn");
    if (flags) {
        auto mask = flag_list(flags->args[0], ctx);
        auto comp = flag_list(flags->args[1], ctx);
        if (mask && comp)
            ctx.match(Compare{PayloadSelector{PayloadField::tcp_flags},
                              flags->inverted ? Op::masked_neq : Op::masked_eq, uint64_t{*comp}, uint64_t{*mask}},
                      flags->span);
    }
    if (syn)
        ctx.match(Compare{PayloadSelector{PayloadField::tcp_flags}, syn->inverted ? Op::masked_neq : Op::masked_eq,
                          uint64_t{0x02}, uint64_t{0x17}},
                  syn->span);
    if (auto* o = use.find("tcp-option")) {
        // Option 0 ends the option list: iptables refuses it ("Bad TCP option").
        auto kind = ctx.values.number(o->args[0], 1, 255, "TCP option number");
        if (kind)
            ctx.match(Compare{TcpOptionSelector{static_cast<uint8_t>(*kind)},
                              Op::eq,
                              uint64_t{o->inverted ? 0u : 1u},  // the option is missing, or there
                              {}},
                      o->span);
    }
}

}  // namespace

extern const Extension tcp_match{"tcp",
                                 with_port_options({{"tcp-flags", 2, true}, {"syn", 0, true}, {"tcp-option", 1, true}}),
                                 lower_tcp,
                                 {.exclusive = {{"syn", "tcp-flags"}}}};

}  // namespace ipt2nft::grammar
