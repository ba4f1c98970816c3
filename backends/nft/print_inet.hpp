// --inet: the ip and ip6 tables of one name as one inet table, a rule both families have written once.
#pragma once
#include <optional>
#include <ostream>
#include <string>

#include "backends/nft/nft_backend.hpp"

namespace ipt2nft::nft {

// Why the two tables of one name stay apart, if they must: a statement nft has no inet form of,
// or a set name both use (an inet set's key is of one family).
std::optional<std::string> inet_obstacle(const Table& v4, const Table& v6);

// `table inet NAME` in place of the two: the chains of both, each rule written once where both
// families have it alike and keeps no state (a rate or count would then be shared), else for its
// family (`meta nfproto ipv4 ...`); a built-in chain whose families' policies differ accepts and
// ends with a rule dropping the family whose policy drops. The ip and ip6 tables of the name are
// deleted, as the separate translation replaces them.
void print_inet_table(const Table& v4, const Table& v6, const ScriptOptions& options, std::ostream& out);

}  // namespace ipt2nft::nft
