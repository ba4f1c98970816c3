// --inet: the ip and ip6 tables of one name written as one inet table of the nft script.
#pragma once
#include <ostream>

#include "backends/nft/nft_backend.hpp"
#include "ir/inet_table.hpp"

namespace ipt2nft::nft {

// `table inet NAME` in place of the two, a rule for one family behind `meta nfproto ipv4` (or
// ipv6). The ip and ip6 tables of the name are deleted, as the separate translation replaces them.
void print_inet_table(const InetTable& merged, const ScriptOptions& options, std::ostream& out);

}  // namespace ipt2nft::nft
