// The pass that makes one IR rule one kernel rule: a conntrack match that lets packets without a
// connection through, and TPROXY, become their two kernel rules.
#pragma once
#include "ir/ruleset.hpp"

namespace ipt2nft {

// Each rule with Rule::connectionless_states is followed by its second kernel rule: the state
// test of the packets without a connection (connectionless_state_test) in place of the
// conntrack match's tests, the same statements, a counter of its own, and
// RuleOrigin::second_of_pair set. The first keeps its tests and no longer says it has a second.
// Each rule with a Tproxy statement is followed by one of its tests that drops: the packets no
// transparent socket took, as xt_TPROXY drops them.
// Run after the checks, which see the rule as written, and before any backend.
void split_rule_pairs(Ruleset& ruleset);


}  // namespace ipt2nft
