// The kernel-expression programs of a ruleset as `nft --debug=netlink` prints them.
#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include "backends/vm/expressions.hpp"
#include "ir/inet_table.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::vm {

// Appends one kernel rule: its anonymous sets, then `family table chain` and its expressions.
void print_program(const Program& p, std::string_view family, std::string_view table, std::string_view chain,
                   std::string& out);

// nft's word for a verdict code: accept, drop, return, jump, goto, continue.
std::string_view verdict_name(VerdictCode code);

// Every translatable rule, in order, with a counter each when `counters`; the tables of `merged`
// as their inet tables (--inet).
void print_netlink(const Ruleset& ruleset, bool counters, const std::vector<InetTable>& merged, std::ostream& out);

}  // namespace ipt2nft::vm
