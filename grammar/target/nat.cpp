// NAT targets: SNAT, DNAT (address and port ranges), MASQUERADE and REDIRECT (ports), NETMAP
// (a network's prefix).
#include <fmt/format.h>
#include <linux/netfilter/nf_nat.h>

#include "grammar/extension.hpp"
#include "ir/protocols.hpp"

namespace ipt2nft::grammar {

namespace {

// iptables 1.8 takes a port mapping after -p tcp, udp, sctp, dccp or icmp (its id; in ip6tables
// too, not icmpv6), looking at the number only: after '! -p tcp' too. nft's syntax takes one only after a protocol
// test that is not negated. It checks when it reads the mapping, so a -p after it comes too late.
// False after reporting why not.
bool ports_allowed(const ExtensionUse& use, Span at, LowerContext& ctx) {
    auto p = ctx.written_protocol;
    bool allowed = p && ctx.protocol_span.begin < at.begin && ((has_ports(*p) && *p != 136) || *p == 1);
    if (!allowed) {
        ctx.diags.error(at,
                        "a port mapping needs '-p tcp', '-p udp', '-p sctp' or '-p dccp' (or '-p icmp', whose id it "
                        "maps) before it",
                        "needs-protocol");
        return false;
    }
    if (ctx.protocol_inverted) {
        ctx.untranslatable(use, "nft maps ports only after a protocol test that is not negated");
        return false;
    }
    return true;
}

bool read_ports(const ExtensionUse& use, const Word& w, size_t at, Nat& nat, LowerContext& ctx) {
    auto ports = ctx.values.nat_ports(w, at);
    if (!ports) return false;
    if (ports->base) {
        // libxt_NAT refuses a shift where the kernel's target has no room for it (REDIRECT); it keeps
        // the shift flag but drops the base for MASQUERADE and IPv6 SNAT (iptables-save shows
        // `/0`), so the kernel then picks ports by the original port, not at random.
        if (nat.kind == NatKind::redirect) {
            ctx.diags.error(ports->base_span, "iptables refuses a shifted port range (/base) for REDIRECT", "bad-port");
            return false;
        }
        ctx.untranslatable(use, "nft has no shifted port range (/base): its NAT picks ports in the range alone");
        return false;
    }
    nat.port_low = ports->low;
    nat.port_high = ports->high;
    return true;
}

// [addr[-addr]][:port[-port]], with IPv6 addresses in brackets when ports follow.
bool read_nat_range(const ExtensionUse& use, const Word& w, Nat& nat, LowerContext& ctx) {
    std::string_view text = w.text;
    std::string_view addrs, ports;
    bool port_given = false;  // a ':' that starts ports, with them or not
    if (ctx.family == Family::ipv6 && !text.empty() && text[0] == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos) {
            ctx.diags.error(w.span, "missing ']' after the IPv6 address", "bad-address");
            return false;
        }
        addrs = text.substr(1, close - 1);
        if (close + 1 < text.size()) {
            if (text[close + 1] != ':') {
                ctx.diags.error(w.span, "expected ':port' after ']'", "bad-address");
                return false;
            }
            ports = text.substr(close + 2);
            port_given = true;
        }
    } else if (ctx.family == Family::ipv6 && !(text.size() > 1 && text[0] == ':' && text[1] != ':')) {
        addrs = text;  // ':8080' alone is ports, as ip6tables reads it; '::1' an address
    } else {
        auto colon = text.find(':');
        addrs = text.substr(0, colon);
        if (colon != std::string_view::npos) ports = text.substr(colon + 1);
        port_given = colon != std::string_view::npos;
    }
    if (!addrs.empty()) {
        auto dash = addrs.find('-');
        nat.address_low =
            ctx.values.address(addrs.substr(0, dash), w.span, ctx.family, ValueReader::AddressSyntax::strict);
        if (!nat.address_low) return false;
        if (dash != std::string_view::npos) {
            nat.address_high =
                ctx.values.address(addrs.substr(dash + 1), w.span, ctx.family, ValueReader::AddressSyntax::strict);
            if (!nat.address_high) return false;
            // iptables takes a reversed range, but the kernel then counts up from the first address
            // through the wrap-around, and nft refuses it.
            if (nat.address_high->bytes < nat.address_low->bytes) {
                ctx.diags.error(w.span,
                                fmt::format("the address range '{}' is reversed: iptables takes it, but the kernel "
                                            "then maps to addresses outside it",
                                            addrs),
                                "bad-address");
                return false;
            }
        }
    }
    if (port_given) {
        if (!ports_allowed(use, w.span, ctx)) return false;
        if (!read_ports(use, w, static_cast<size_t>(ports.data() - w.text.data()), nat, ctx)) return false;
    }
    // Ports alone (`:8080`) keep the address and change the port, in xt_NAT as in nft's
    // `dnat to :8080` (seen in a namespace: both hold a nat expression with ports only).
    if (!nat.address_low && !nat.port_low) {
        ctx.diags.error(w.span, "the NAT range has neither an address nor a port", "bad-address");
        return false;
    }
    return true;
}

void read_flags(const ExtensionUse& use, Nat& nat) {
    if (use.find("random")) nat.flags |= NF_NAT_RANGE_PROTO_RANDOM;
    if (use.find("random-fully")) nat.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
    if (use.find("persistent")) nat.flags |= NF_NAT_RANGE_PERSISTENT;
}

void lower_address_nat(const ExtensionUse& use, LowerContext& ctx, NatKind kind, const char* option) {
    Nat nat{kind, {}, {}, {}, {}, {}};
    const OptionUse* to = use.find(option);  // present: the target's option rules need it
    if (!read_nat_range(use, to->args[0], nat, ctx)) return;
    read_flags(use, nat);
    ctx.action(nat, use.span);
}

void lower_port_nat(const ExtensionUse& use, LowerContext& ctx, NatKind kind) {
    Nat nat{kind, {}, {}, {}, {}, {}};
    if (const OptionUse* o = use.find("to-ports")) {
        if (!ports_allowed(use, o->span, ctx)) return;
        if (!read_ports(use, o->args[0], 0, nat, ctx)) return;
    }
    read_flags(use, nat);
    ctx.action(nat, use.span);
}

void lower_snat(const ExtensionUse& use, LowerContext& ctx) {
    lower_address_nat(use, ctx, NatKind::snat, "to-source");
}
void lower_dnat(const ExtensionUse& use, LowerContext& ctx) {
    lower_address_nat(use, ctx, NatKind::dnat, "to-destination");
}
void lower_masquerade(const ExtensionUse& use, LowerContext& ctx) {
    lower_port_nat(use, ctx, NatKind::masquerade);
}
void lower_redirect(const ExtensionUse& use, LowerContext& ctx) {
    lower_port_nat(use, ctx, NatKind::redirect);
}

// NETMAP --to ADDRESS[/MASK]: the packet's address keeps its host bits behind the network's,
// as nft's prefix NAT maps it; which address (the destination or the source) resolve_netmap
// finds from the hook.
void lower_netmap(const ExtensionUse& use, LowerContext& ctx) {
    const Word& to = use.find("to")->args[0];
    auto network = ctx.values.prefix(to.text, to.span, ctx.family);
    if (!network) return;
    if (!prefix_length(network->mask)) {
        ctx.untranslatable(use, "nft's prefix NAT takes a prefix length, and this mask is not ones then zeros");
        return;
    }
    Address last = network->address;
    for (size_t i = 0; i < last.size(); ++i) last.bytes[i] |= static_cast<uint8_t>(~network->mask.bytes[i]);
    ctx.action(Nat{NatKind::dnat, network->address, last, {}, {}, NF_NAT_RANGE_NETMAP}, use.span);
}

}  // namespace

extern const Extension netmap_target{"NETMAP", {{"to", 1, false}}, lower_netmap, {.needs_one_of = {"to"}}};
extern const Extension snat_target{
    "SNAT",
    {{"to-source", 1, false}, {"random", 0, false}, {"random-fully", 0, false}, {"persistent", 0, false}},
    lower_snat,
    {.needs_one_of = {"to-source"}}};
extern const Extension dnat_target{"DNAT",
                                   {{"to-destination", 1, false}, {"random", 0, false}, {"persistent", 0, false}},
                                   lower_dnat,
                                   {.needs_one_of = {"to-destination"}}};
extern const Extension masquerade_target{
    "MASQUERADE", {{"to-ports", 1, false}, {"random", 0, false}, {"random-fully", 0, false}}, lower_masquerade};
extern const Extension redirect_target{"REDIRECT", {{"to-ports", 1, false}, {"random", 0, false}}, lower_redirect};

}  // namespace ipt2nft::grammar
