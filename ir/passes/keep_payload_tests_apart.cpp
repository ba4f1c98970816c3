// The pass that keeps nft's merging of neighbouring header tests from changing what a rule means.
#include "ir/passes/keep_payload_tests_apart.hpp"

#include <algorithm>

#include "ir/payload_merges.hpp"

namespace ipt2nft {

namespace {

// A test's value as the range of that one value.
void make_range(Condition& c) {
    Compare& cmp = std::get<Compare>(c.test);
    Value one = cmp.value;
    cmp.value = Range{{one, one}};
}

// The conditions as the script writes them (a protocol test the header's fields imply left out:
// nft adds its own, a meta test, which it does not gather), until no merge changes the rule.
void keep_apart(Rule& rule) {
    for (bool changed = true; changed;) {
        changed = false;
        std::vector<const Condition*> written = written_conditions(rule);
        for (const PayloadMerge& m : payload_merges(written))
            if (m.changes_meaning) {
                // The last written of the tests, out of the gathering: the others may still merge.
                const Condition* last = written[*std::max_element(m.tests.begin(), m.tests.end())];
                make_range(rule.conditions[static_cast<size_t>(last - rule.conditions.data())]);
                changed = true;
                break;
            }
    }
}

}  // namespace

void keep_payload_tests_apart(Ruleset& ruleset) {
    for (auto& t : ruleset.tables)
        for (auto& ch : t.chains)
            for (auto& r : ch.rules)
                if (!r.untranslatable()) keep_apart(r);
}

}  // namespace ipt2nft
