// udp match: source and destination ports or ranges.
#include "grammar/ext/needs_protocol.hpp"
#include "grammar/ext/ports.hpp"

namespace ipt2nft::grammar {

namespace {
void lower_udp(const ExtensionUse& use, LowerContext& ctx) {
    if (!require_protocol(use, ctx, 17, "udp")) return;
    // iptables 1.8 reads udp's port names for any protocol (`--dport ssh` is 22), tcp's for tcp.
    if (auto* o = use.find("source-port")) lower_port_option(*o, PayloadField::udp_sport, ctx, any_protocol);
    if (auto* o = use.find("destination-port")) lower_port_option(*o, PayloadField::udp_dport, ctx, any_protocol);
}
}  // namespace

extern const Extension udp_match{"udp", with_port_options({}), lower_udp};

}  // namespace ipt2nft::grammar
