// The nft key of an ipset: each dimension's field, of the packet's source or destination.
#include "ir/ipset.hpp"

namespace ipt2nft {

namespace {

// A dimension's fields: an address, a protocol and port (ipset keeps the protocol with the port,
// so that tcp:80 is not udp:80), a MAC, an interface (the input one for `src`), a mark.
void add_dimension(IpsetDim dim, bool source, Family family, std::vector<ConcatPart>& parts) {
    bool v4 = family == Family::ipv4;
    switch (dim) {
        case IpsetDim::ip:
        case IpsetDim::net:
            parts.push_back(PayloadSelector{source ? (v4 ? PayloadField::ip_saddr : PayloadField::ip6_saddr)
                                                   : (v4 ? PayloadField::ip_daddr : PayloadField::ip6_daddr)});
            return;
        case IpsetDim::port:
            parts.push_back(MetaSelector{MetaKey::l4proto});
            parts.push_back(PayloadSelector{source ? PayloadField::th_sport : PayloadField::th_dport});
            return;
        case IpsetDim::mac:
            parts.push_back(PayloadSelector{source ? PayloadField::ether_saddr : PayloadField::ether_daddr});
            return;
        case IpsetDim::iface: parts.push_back(MetaSelector{source ? MetaKey::iifname : MetaKey::oifname}); return;
        case IpsetDim::mark: parts.push_back(MetaSelector{MetaKey::mark}); return;
    }
}

}  // namespace

std::optional<Selector> ipset_key(const Ipset& set, IpsetFlags flags) {
    std::vector<ConcatPart> parts;
    for (size_t i = 0; i < set.dims.size(); ++i)
        add_dimension(set.dims[i], (flags.sources >> i) & 1, set.family, parts);
    if (parts.size() == 1) return std::visit([](const auto& field) { return Selector{field}; }, parts.front());
    ConcatSelector concat{};
    for (const ConcatPart& part : parts)
        if (!concat.push(part)) return std::nullopt;
    return concat;
}

Selector ipset_declared_key(const Ipset& set) {
    return ipset_key(set, IpsetFlags{static_cast<uint8_t>(set.dims.size()), 0xff}).value_or(Selector{});
}

bool ipset_merges_elements(const Ipset& set) {
    return set.interval && set.dims.size() == 1 && set.dims.front() != IpsetDim::port;
}

std::vector<Datatype> ipset_key_types(const Ipset& set) {
    Selector key = ipset_declared_key(set);
    std::vector<Datatype> types;
    if (auto* concat = std::get_if<ConcatSelector>(&key))
        for (const ConcatPart& part : concat->parts()) types.push_back(part_datatype(part));
    else
        types.push_back(selector_datatype(key));
    return types;
}

std::vector<std::string_view> ipset_flag_words(const DeclaredIpset& declared) {
    std::vector<std::string_view> flags;
    if (declared.set->interval) flags.push_back("interval");
    if (declared.set->timeout.value_or(0) > 0) flags.push_back("timeout");
    if (declared.updated) flags.push_back("dynamic");
    return flags;
}

uint32_t ipset_size(const Ipset& set) {
    return set.maxelem.value_or(65536);
}

}  // namespace ipt2nft
