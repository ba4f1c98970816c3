// Unit tests of a chain's rule list: any mix of edits leaves the rules a plain vector would hold.
#include "ir/rule_list.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace ipt2nft;

namespace {
// A rule told apart by its span's begin.
Rule rule(uint32_t id) {
    Rule r;
    r.origin.span = Span{0, id, id + 1};
    return r;
}

std::vector<uint32_t> ids(const RuleList& list) {
    std::vector<uint32_t> out;
    for (const Rule& r : list) out.push_back(r.origin.span.begin);
    return out;
}
}  // namespace

TEST_CASE("a rule list holds its rules in order through inserts at the top, appends and erasures in any mix") {
    std::mt19937 random(11);
    RuleList list;
    std::vector<uint32_t> model;
    uint32_t next = 0;
    for (int step = 0; step < 4000; ++step) {
        auto pick = [&](size_t bound) { return std::uniform_int_distribution<size_t>(0, bound)(random); };
        switch (pick(5)) {
            case 0: {
                model.push_back(next);
                list.push_back(rule(next++));
                break;
            }
            case 1:
            case 2: {  // most often at the top, as `-I CHAIN` puts it
                size_t at = pick(2) ? 0 : pick(model.size());
                std::vector<Rule> block;
                size_t count = 1 + pick(2);
                for (size_t k = 0; k < count; ++k) {
                    model.insert(model.begin() + static_cast<long>(at + k), next);
                    block.push_back(rule(next++));
                }
                list.insert(at, std::move(block));
                break;
            }
            case 3:
            case 4: {
                if (model.empty()) break;
                size_t first = pick(model.size() - 1),
                       last = first + 1 + pick(std::min<size_t>(3, model.size() - first - 1));
                model.erase(model.begin() + static_cast<long>(first), model.begin() + static_cast<long>(last));
                list.erase(first, last);
                break;
            }
            default:
                if (pick(20) == 0) {
                    model.clear();
                    list.clear();
                }
        }
        REQUIRE(list.size() == model.size());
        REQUIRE(list.empty() == model.empty());
        if (step % 50 == 0) REQUIRE(ids(list) == model);
        if (!model.empty()) {
            size_t i = pick(model.size() - 1);
            REQUIRE(list[i].origin.span.begin == model[i]);
            REQUIRE((list.begin() + static_cast<long>(i))->origin.span.begin == model[i]);
        }
    }
    CHECK(ids(list) == model);
}

TEST_CASE("a rule list made from a vector keeps its order and takes rules at the top before it") {
    std::vector<Rule> rules;
    for (uint32_t i = 0; i < 3; ++i) rules.push_back(rule(i));
    RuleList list(std::move(rules));
    std::vector<Rule> top;
    top.push_back(rule(10));
    top.push_back(rule(11));
    list.insert(0, std::move(top));
    list.insert(list.size(), [] {
        std::vector<Rule> end;
        end.push_back(rule(20));
        return end;
    }());
    CHECK(ids(list) == std::vector<uint32_t>{10, 11, 0, 1, 2, 20});
    list.erase(1, 3);
    CHECK(ids(list) == std::vector<uint32_t>{10, 1, 2, 20});
    CHECK(list.end() - list.begin() == 4);
}

TEST_CASE("rules put below the first again and again, with rules added at the end between, stay in order") {
    RuleList list;
    std::vector<uint32_t> model;
    for (uint32_t id = 1000; id < 1010; ++id) {  // appended first: all in the part below
        model.push_back(id);
        list.push_back(rule(id));
    }
    for (uint32_t id = 0; id < 300; ++id) {
        size_t at = id % 3 == 0 ? model.size() : std::min<size_t>(model.size(), 1 + id % 2);
        model.insert(model.begin() + static_cast<long>(at), id);
        std::vector<Rule> one;
        one.push_back(rule(id));
        list.insert(at, std::move(one));
        if (id % 50 == 49) {  // a rule deleted from the middle now and then
            model.erase(model.begin() + static_cast<long>(model.size() / 3));
            list.erase(list.size() / 3, list.size() / 3 + 1);
        }
        REQUIRE(ids(list) == model);
    }
}

TEST_CASE("a rule list used as a queue, appended at the end and deleted at the top, keeps its order") {
    RuleList list;
    std::vector<uint32_t> model;
    uint32_t next = 0;
    for (int round = 0; round < 50; ++round) {
        for (int k = 0; k < round % 7 + 1; ++k) {
            model.push_back(next);
            list.push_back(rule(next++));
        }
        for (int k = 0; k < round % 5 && !model.empty(); ++k) {
            model.erase(model.begin());
            list.erase(0, 1);
        }
        REQUIRE(ids(list) == model);
    }
}
