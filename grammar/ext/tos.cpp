// tos match: the whole IPv4 TOS byte or IPv6 traffic class under a mask, as raw header bits.
#include <fmt/format.h>

#include "grammar/ext/tos_values.hpp"

namespace ipt2nft::grammar {

namespace {

// xt_tos compares (byte & mask) with the value; nft has no word for the byte, but takes its
// bits raw (`@nh,8,8 & 0x3f == 0x10`; for IPv6 `@nh,0,16 & 0xff0 == 0x100`), the same load, mask
// and compare in the kernel.
void lower_tos(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("tos");  // the match's one option, required
    auto v = tos_value(o->args[0], ctx);
    if (!v) return;
    if (v->value & ~v->mask)
        ctx.diags.warning(o->args[0].span,
                          fmt::format("the value {:#04x} has bits outside the mask {:#04x}: the byte under the mask "
                                      "never equals it, so this {}",
                                      v->value, v->mask, o->inverted ? "always matches" : "never matches"),
                          "never-matches");
    Op op = o->inverted ? Op::neq : Op::eq;
    if (ctx.family == Family::ipv4) {
        std::optional<uint64_t> mask;
        if (v->mask != 0xff) mask = v->mask;
        ctx.match(Compare{PayloadSelector{PayloadField::ip_tos}, op, uint64_t{v->value}, mask}, o->span);
    } else {
        // The traffic class is bits 4-11 of the header's first 16 (ip6_version_class).
        ctx.match(Compare{PayloadSelector{PayloadField::ip6_version_class}, op, uint64_t{v->value} << 4,
                          uint64_t{v->mask} << 4},
                  o->span);
    }
}

}  // namespace

extern const Extension tos_match{"tos", {{"tos", 1, true}}, lower_tos, {.needs_an_option = true}};

}  // namespace ipt2nft::grammar
