// Port conditions: one port is a value, a range stays a range even when it is 0-65535, since
// that still requires a first fragment of the protocol, as the iptables match does; and the port
// options of the protocol matches.
#include "grammar/ext/ports.hpp"

namespace ipt2nft::grammar {

std::vector<OptionDef> with_port_options(std::vector<OptionDef> own) {
    std::vector<OptionDef> all{{"source-port", 1, true},
                               {"sport", 1, true, "source-port"},
                               {"destination-port", 1, true},
                               {"dport", 1, true, "destination-port"}};
    all.insert(all.end(), own.begin(), own.end());
    return all;
}

void lower_port_option(const OptionUse& o, PayloadField field, LowerContext& ctx, std::string_view lookup) {
    auto range = ctx.values.port_range(o.args[0], lookup.empty() ? describe(field).protocol : lookup);
    if (!range) return;
    ctx.match(
        Compare{
            PayloadSelector{field}, o.inverted ? Op::neq : Op::eq, number_or_range(range->first, range->second), {}},
        o.span);
}

}  // namespace ipt2nft::grammar
