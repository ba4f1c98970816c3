// Unit tests of for_each_batch_in_order: every batch once, consumed in order, errors at their turn.
#include "util/ordered_batches.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

using namespace ipt2nft;

namespace {

// Uneven work, so that later batches often finish before earlier ones.
size_t busy_work(size_t i) {
    size_t x = i;
    for (size_t k = 0; k < (i * 7919) % 5000; ++k) x = x * 6364136223846793005u + 1442695040888963407u;
    return x;
}

}  // namespace

TEST_CASE("batches are consumed in order, each once, on any number of threads") {
    for (size_t threads : {1, 2, 4, 16}) {
        std::vector<size_t> consumed;
        std::atomic<size_t> produced{0};
        for_each_batch_in_order<std::pair<size_t, size_t>>(
            500, threads,
            [&](size_t i) {
                ++produced;
                return std::pair{i, busy_work(i)};
            },
            [&](std::pair<size_t, size_t>&& r) {
                CHECK(r.second == busy_work(r.first));
                consumed.push_back(r.first);
            });
        CHECK(produced == 500);
        REQUIRE(consumed.size() == 500);
        for (size_t i = 0; i < consumed.size(); ++i) CHECK(consumed[i] == i);
    }
}

TEST_CASE("a failing batch throws at its turn, after the batches before it were consumed") {
    for (size_t threads : {1, 3}) {
        std::vector<size_t> consumed;
        auto run = [&] {
            for_each_batch_in_order<size_t>(
                100, threads,
                [](size_t i) {
                    if (i == 37) throw std::runtime_error("batch 37");
                    return busy_work(i) * 0 + i;
                },
                [&](size_t&& i) { consumed.push_back(i); });
        };
        CHECK_THROWS_WITH_AS(run(), "batch 37", std::runtime_error);
        REQUIRE(consumed.size() == 37);
        CHECK(consumed.back() == 36);
    }
}

TEST_CASE("no batches, no calls") {
    size_t calls = 0;
    for_each_batch_in_order<int>(
        0, 4, [&](size_t) { return ++calls, 0; }, [&](int&&) { ++calls; });
    CHECK(calls == 0);
}
