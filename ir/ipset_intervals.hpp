// A set of addresses, networks and ranges (hash:net, hash:ip) as the disjoint intervals it matches.
#pragma once
#include <vector>

#include "ir/ipset.hpp"

namespace ipt2nft {

// hash:net matches an address by the most specific of its networks that holds it, so a nomatch
// element is an exception inside wider ones, and nested networks are one: the addresses that
// match, as the fewest disjoint elements (a network where the interval is one, else a range).
std::vector<IpsetElement> flatten_addresses(const Ipset& set);

}  // namespace ipt2nft
