// The simulated host: its interfaces and addresses, its routes, and the routing decision.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/values.hpp"

namespace ipt2nft::sim {

struct InterfaceAddress {
    Prefix network;  // the connected network
    Address address;
};

struct Interface {
    std::string name;
    std::vector<InterfaceAddress> addresses;
};

struct Route {
    Prefix destination;
    std::string interface;
};

class Host {
public:
    // `lo` with 127.0.0.1/8 and ::1/128 is always there.
    Host();

    // `eth0=192.0.2.1/24,2001:db8::1/64`: an interface with its addresses (added to one of the
    // same name). An error message when the text is not that.
    std::optional<std::string> add_interface(std::string_view text);
    // `default=eth0`, `10.1.0.0/16=eth1`.
    std::optional<std::string> add_route(std::string_view text);

    // Given no interfaces nor routes: every packet received is addressed to the host (its
    // destination becomes an address of eth0), and what it sends goes out of eth0; the user is
    // told so.
    bool assumed() const { return !given_; }
    void assume_local(const Address& a);

    bool is_local(const Address& a) const;
    // The interface a packet to `destination` leaves by: lo for the host's own addresses, else
    // the longest matching connected network or route; none when no route matches.
    std::optional<std::string> route(const Address& destination) const;
    // The address a packet leaving by `interface` to `destination` gets from masquerade, or is
    // redirected to when it came in by it: the interface's first address of the family.
    std::optional<Address> primary_address(std::string_view interface, Family family) const;
    const Interface* find(std::string_view name) const;
    // The interface's index, in the order interfaces were added (lo is 1, as in Linux); 0 for none.
    uint32_t index_of(std::string_view name) const;

private:
    std::vector<Interface> interfaces_;
    std::vector<Route> routes_;
    bool given_ = false;
};

}  // namespace ipt2nft::sim
