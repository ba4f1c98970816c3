// One kernel expression of a rule program as libnftnl's nftnl_expr, ready for a rule message.
#pragma once

#include <string>
#include <vector>

#include "backends/netlink/nftnl.hpp"
#include "backends/vm/expressions.hpp"

namespace ipt2nft::netlink {

// `set_names` names the rule's anonymous sets in the batch (`__set%d` with its id), in the order
// of the program's sets. The caller owns the result (nftnl_rule_add_expr takes it over).
nftnl_expr* make_expression(const vm::Expression& e, const std::vector<std::pair<std::string, uint32_t>>& set_names);

}  // namespace ipt2nft::netlink
