// Unit tests of the TextStore: kept text stays valid and unchanged however much follows it.
#include "util/text_store.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace ipt2nft;

TEST_CASE("kept text survives block changes and long texts") {
    TextStore store;
    std::vector<std::pair<std::string, std::string_view>> kept;
    for (int i = 0; i < 20000; ++i) {
        // Mostly short texts (many blocks fill up), some longer than a quarter block, one empty.
        std::string text =
            i % 997 == 0 ? std::string(20000 + i, static_cast<char>('a' + i % 26)) : "chain-" + std::to_string(i);
        if (i == 5) text.clear();
        kept.emplace_back(text, store.keep(text));
    }
    for (const auto& [text, view] : kept) CHECK(view == text);
    // Views of distinct keeps never overlap.
    CHECK(kept[1].second.data() + kept[1].second.size() <= kept[2].second.data());
}
