// The pass that keeps nft's merging of neighbouring header tests from changing what a rule means.
#pragma once
#include "ir/ruleset.hpp"

namespace ipt2nft {

// Each test that a meaning-changing merge would take becomes the one-value range it equals
// (`ip ttl 64-64`), which nft neither gathers nor merges: the script nft loads then means what
// the rule means, and the lowering makes the program nft makes of it. Run after
// split_rule_pairs.
void keep_payload_tests_apart(Ruleset& ruleset);

}  // namespace ipt2nft
