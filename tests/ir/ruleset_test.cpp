// Unit tests of a table's chain index: look-ups stay right through removals and renames in any order.
#include "ir/ruleset.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace ipt2nft;

namespace {
Chain chain(std::string_view name) {
    Chain c;
    c.name = name;
    return c;
}
}  // namespace

TEST_CASE("chains are found where they stand after thousands of removals and renames in any order") {
    std::vector<std::string> names, renamed;
    for (int i = 0; i < 3000; ++i) names.push_back("C" + std::to_string(i));
    for (int i = 0; i < 3000; ++i) renamed.push_back("R" + std::to_string(i));
    Table t;
    for (const auto& n : names) t.add(chain(n));
    std::mt19937 random(7);
    std::vector<int> order(names.size());
    for (int i = 0; i < 3000; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), random);
    std::set<int> removed;
    std::deque<std::string> again;  // names of chains added after removals (the table views them)
    for (int k = 0; k < 2000; ++k) {
        int i = order[k];
        if (k % 5 == 0) {
            t.rename(names[i], renamed[i]);
            names[i] = renamed[i];
            continue;
        }
        t.remove(names[i]);
        removed.insert(i);
        if (k % 7 == 0) t.add(chain(again.emplace_back(names[i] + "-again")));
    }
    for (int i = 0; i < 3000; ++i) {
        const Chain* c = t.find(names[i]);
        if (removed.contains(i)) {
            CHECK(c == nullptr);
            continue;
        }
        REQUIRE(c != nullptr);
        CHECK(c->name == names[i]);
        CHECK(t.chains[t.index(names[i])].name == names[i]);
    }
    // The chains left keep their order: creation order, removed ones left out, added ones last.
    std::vector<std::string_view> listed;
    for (const auto& c : t.chains) listed.push_back(c.name);
    std::vector<std::string_view> kept;
    for (int i = 0; i < 3000; ++i)
        if (!removed.contains(i)) kept.push_back(names[i]);
    REQUIRE(listed.size() >= kept.size());
    CHECK(std::equal(kept.begin(), kept.end(), listed.begin()));
    for (size_t i = kept.size(); i < listed.size(); ++i) CHECK(listed[i].ends_with("-again"));
    for (size_t i = kept.size(); i < listed.size(); ++i) CHECK(t.find(listed[i]) == &t.chains[i]);
}
