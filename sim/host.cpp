// The host's addresses and routes: which packets are its own and where the others go.
#include "sim/host.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>

namespace ipt2nft::sim {

namespace {

std::optional<Address> parse_address(std::string_view text) {
    Address a;
    std::string s(text);
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
    a.family = Family::ipv6;
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
    return std::nullopt;
}

// `192.0.2.1/24` (the length defaults to the whole address): the address and its network.
std::optional<InterfaceAddress> parse_interface_address(std::string_view text) {
    size_t slash = text.find('/');
    auto address = parse_address(text.substr(0, slash));
    if (!address) return std::nullopt;
    unsigned length = address->family == Family::ipv4 ? 32 : 128, most = length;
    if (slash != std::string_view::npos) {
        std::string_view l = text.substr(slash + 1);
        auto [end, ec] = std::from_chars(l.data(), l.data() + l.size(), length);
        if (ec != std::errc{} || end != l.data() + l.size() || length > most) return std::nullopt;
    }
    Address mask = mask_of_length(address->family, length);
    return InterfaceAddress{{apply_mask(*address, mask), mask}, *address};
}

bool contains(const Prefix& p, const Address& a) {
    return p.address.family == a.family && apply_mask(a, p.mask) == p.address;
}

unsigned length_of(const Prefix& p) {
    return prefix_length(p.mask).value_or(0);
}

}  // namespace

Host::Host() {
    (void)add_interface("lo=127.0.0.1/8,::1/128");
    given_ = false;
}

void Host::assume_local(const Address& a) {
    if (is_local(a)) return;
    if (!find("eth0")) interfaces_.push_back({"eth0", {}});
    for (auto& i : interfaces_)
        if (i.name == "eth0")
            i.addresses.push_back({{a, mask_of_length(a.family, a.family == Family::ipv4 ? 32 : 128)}, a});
}

std::optional<std::string> Host::add_interface(std::string_view text) {
    size_t eq = text.find('=');
    std::string_view name = text.substr(0, eq);
    if (name.empty() || name.size() > 15)
        return fmt::format("'{}': an interface is NAME=ADDRESS/LENGTH[,ADDRESS/LENGTH...], its name 1 to 15 bytes",
                           text);
    given_ = true;
    Interface* iface = nullptr;
    for (auto& i : interfaces_)
        if (i.name == name) iface = &i;
    if (!iface) iface = &interfaces_.emplace_back(Interface{std::string(name), {}});
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view rest = text.substr(eq + 1);
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        auto a = parse_interface_address(rest.substr(0, comma));
        if (!a) return fmt::format("'{}' is not an address with a prefix length", rest.substr(0, comma));
        iface->addresses.push_back(*a);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return std::nullopt;
}

std::optional<std::string> Host::add_route(std::string_view text) {
    size_t eq = text.find('=');
    if (eq == std::string_view::npos || eq + 1 == text.size())
        return fmt::format("'{}': a route is DESTINATION=INTERFACE, DESTINATION a network or `default`", text);
    given_ = true;
    std::string_view to = text.substr(0, eq);
    std::string iface(text.substr(eq + 1));
    if (!find(iface)) interfaces_.push_back({iface, {}});
    if (to == "default") {
        routes_.push_back({{Address{Family::ipv4, {}}, mask_of_length(Family::ipv4, 0)}, iface});
        routes_.push_back({{Address{Family::ipv6, {}}, mask_of_length(Family::ipv6, 0)}, iface});
        return std::nullopt;
    }
    auto a = parse_interface_address(to);
    if (!a) return fmt::format("'{}' is not a network (ADDRESS/LENGTH) or `default`", to);
    routes_.push_back({a->network, iface});
    return std::nullopt;
}

const Interface* Host::find(std::string_view name) const {
    for (const auto& i : interfaces_)
        if (i.name == name) return &i;
    return nullptr;
}

uint32_t Host::index_of(std::string_view name) const {
    const Interface* i = find(name);
    return i ? static_cast<uint32_t>(i - interfaces_.data()) + 1 : 0;
}

bool Host::is_local(const Address& a) const {
    // All of 127.0.0.0/8 is the host's, as Linux routes it.
    if (a.family == Family::ipv4 && a.bytes[0] == 127) return true;
    for (const auto& i : interfaces_)
        for (const auto& ia : i.addresses)
            if (ia.address == a) return true;
    return false;
}

std::optional<std::string> Host::route(const Address& destination) const {
    if (is_local(destination)) return std::string("lo");
    if (assumed()) return std::string("eth0");
    const std::string* best = nullptr;
    int best_length = -1;
    auto consider = [&](const Prefix& p, const std::string& iface) {
        if (contains(p, destination) && static_cast<int>(length_of(p)) > best_length)
            best = &iface, best_length = static_cast<int>(length_of(p));
    };
    for (const auto& i : interfaces_)
        for (const auto& ia : i.addresses) consider(ia.network, i.name);
    for (const auto& r : routes_) consider(r.destination, r.interface);
    if (!best) return std::nullopt;
    return *best;
}

std::optional<Address> Host::primary_address(std::string_view interface, Family family) const {
    const Interface* i = find(interface);
    if (!i) return std::nullopt;
    for (const auto& ia : i->addresses)
        if (ia.address.family == family) return ia.address;
    return std::nullopt;
}

}  // namespace ipt2nft::sim
