// Unit tests of SpecIndex: through any mix of edits it finds what a look along the chain finds.
#include "ir/replay/spec_index.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <random>

using namespace ipt2nft;

namespace {
// A rule of one of a few specifications (its match modules), told apart by its span's begin.
Rule rule(uint32_t spec, uint32_t id) {
    Rule r;
    r.match_modules = spec;
    r.origin.span = Span{0, id, id + 1};
    return r;
}
}  // namespace

TEST_CASE(
    "a spec index finds the first equal rule that is accepted, through appends, inserts, replacements and "
    "erasures") {
    std::mt19937 random(7);
    auto pick = [&](size_t bound) { return std::uniform_int_distribution<size_t>(0, bound)(random); };
    RuleList list;
    SpecIndex index;
    uint32_t next = 0;
    size_t found = 0;
    for (int step = 0; step < 20000; ++step) {
        uint32_t spec = static_cast<uint32_t>(pick(3));
        size_t action = pick(9);
        if (action == 0 || action == 1) {  // appended rules are taken in when the index is next used
            list.push_back(rule(spec, next++));
            continue;
        }
        index.take_in_appended(list);
        if (action == 2 ||
            action == 3) {  // most often at one place, so that its room runs out and slots are spread again
            size_t at = pick(3) ? std::min<size_t>(1, list.size()) : pick(list.size());
            std::vector<Rule> block;
            for (size_t k = 0, count = 1 + pick(2); k < count; ++k) block.push_back(rule(spec, next++));
            REQUIRE(index.inserting(at, block, list));
            list.insert(at, std::move(block));
        } else if ((action == 4 || action == 5) && !list.empty()) {
            size_t at = pick(list.size() - 1);
            index.erasing(list[at], at);
            list.erase(at, at + 1);
        } else if (action == 6 && !list.empty()) {
            size_t at = pick(list.size() - 1);
            Rule by = rule(spec, next++);
            index.replacing(list[at], by, at);
            list[at] = by;
        } else {
            bool odd = pick(1);  // accepts only rules of odd or only of even ids
            auto accept = [&](size_t i) { return list[i].origin.span.begin % 2 == odd; };
            std::optional<size_t> expected;
            for (size_t i = 0; i < list.size() && !expected; ++i)
                if (list[i].match_modules == spec && accept(i)) expected = i;
            std::optional<size_t> got = index.find(rule(spec, 0), accept);
            REQUIRE(got == expected);
            found += got.has_value();
        }
    }
    CHECK(found > 1000);
}
