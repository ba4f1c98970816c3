// Levenshtein distance with a threshold that grows with the word's length.
#include "util/suggest.hpp"

#include <algorithm>
#include <string>

namespace ipt2nft {

static size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::optional<std::string_view> closest(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::optional<std::string_view> best;
    size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
    for (auto c : candidates) {
        size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    auto hint = closest(word, candidates);
    return hint ? "; did you mean '" + std::string(*hint) + "'?" : std::string();
}

}  // namespace ipt2nft
