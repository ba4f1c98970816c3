// Port conditions: one port is a value, a range stays a range even when it is 0-65535, since
// that still requires a first fragment of the protocol, as the iptables match does.
#include "grammar/ext/ports.hpp"

namespace ipt2nft::grammar {

Value port_value(uint16_t low, uint16_t high) {
    if (low == high) return Value(uint64_t{low});
    return make_range(uint64_t{low}, uint64_t{high});
}

void lower_port_option(const OptionUse& o, PayloadField field, LowerContext& ctx, std::string_view lookup) {
    auto range = ctx.values.port_range(o.args[0], lookup.empty() ? describe(field).protocol : lookup);
    if (!range) return;
    ctx.match(
        Compare{PayloadSelector{field}, o.inverted ? Op::neq : Op::eq, port_value(range->first, range->second), {}},
        o.span);
}

}  // namespace ipt2nft::grammar
