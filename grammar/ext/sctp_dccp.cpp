// sctp and dccp matches: ports, and DCCP packet types; SCTP chunk tests and DCCP options refused.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "grammar/ext/needs_protocol.hpp"
#include "grammar/ext/ports.hpp"

namespace ipt2nft::grammar {

namespace {

// xt_sctp and xt_dccp match first fragments only: without a port option the match still needs
// the header, which a full source port range asks for (`meta l4proto` would take any fragment),
// unless another test of the header does.
void lower_ports(const ExtensionUse& use, LowerContext& ctx, uint8_t protocol, bool header_tested) {
    const PortFields& fields = *port_fields(protocol);
    const OptionUse* source = use.find("source-port");
    const OptionUse* destination = use.find("destination-port");
    if (source) lower_port_option(*source, fields.source, ctx, any_protocol);
    if (destination) lower_port_option(*destination, fields.destination, ctx, any_protocol);
    if (!source && !destination && !header_tested)
        ctx.match(Compare{PayloadSelector{fields.source}, Op::eq, number_or_range(0, 65535), {}}, use.span);
}

void lower_sctp(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 132, "sctp")) return;
    if (use.find("chunk-types")) {
        ctx.untranslatable(use, "ipt2nft does not write SCTP chunk tests (nft's `sctp chunk`) yet; the ports it does");
        return;
    }
    lower_ports(use, ctx, 132, false);
}

// libxt_dccp's names, each the bit of its type number in xt_dccp's mask; INVALID sets the bits of
// types 10 to 15 (seen: a type 11 packet matches `--dccp-types INVALID`).
constexpr std::array<std::string_view, 11> dccp_types{"REQUEST", "RESPONSE", "DATA", "ACK",     "DATAACK", "CLOSEREQ",
                                                      "CLOSE",   "RESET",    "SYNC", "SYNCACK", "INVALID"};

void lower_dccp_types(const OptionUse& o, LowerContext& ctx) {
    ValueSet types;
    for (const Word& item : split_list(o.args[0])) {
        auto it =
            std::find_if(dccp_types.begin(), dccp_types.end(), [&](auto n) { return equals_nocase(n, item.text); });
        if (it == dccp_types.end()) {
            ctx.diags.error(item.span,
                            fmt::format("unknown DCCP packet type '{}'{}", item.text,
                                        did_you_mean(item.text, {dccp_types.begin(), dccp_types.end()})),
                            "bad-value");
            return;
        }
        uint64_t type = it - dccp_types.begin();
        Value v = type == 10 ? make_range(uint64_t{10}, uint64_t{15}) : Value(type);
        if (std::find(types.elements.begin(), types.elements.end(), v) == types.elements.end())
            types.elements.push_back(v);
    }
    Op op = o.inverted ? Op::neq : Op::eq;
    if (types.elements.size() == 1)
        ctx.match(Compare{PayloadSelector{PayloadField::dccp_type}, op, types.elements.front(), {}}, o.span);
    else
        ctx.match(Compare{PayloadSelector{PayloadField::dccp_type}, op, Value(std::move(types)), {}}, o.span);
}

void lower_dccp(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 33, "dccp")) return;
    if (use.find("dccp-option")) {
        ctx.untranslatable(use, "ipt2nft does not write DCCP option tests yet; ports and packet types it does");
        return;
    }
    const OptionUse* types = use.find("dccp-types");
    lower_ports(use, ctx, 33, types != nullptr);
    if (types) lower_dccp_types(*types, ctx);
}

}  // namespace

extern const Extension sctp_match{"sctp", with_port_options({{"chunk-types", 2, true}}), lower_sctp};
extern const Extension dccp_match{"dccp", with_port_options({{"dccp-types", 1, true}, {"dccp-option", 1, true}}),
                                  lower_dccp};

}  // namespace ipt2nft::grammar
