// OptionArgs: the words an option takes, kept inline for the usual one or two.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "grammar/word.hpp"

namespace ipt2nft::grammar {

// Every option of every rule has its values copied here: no allocation for the one or two words
// options take; only the unknown options of untranslated modules, which take any number, spill.
class OptionArgs {
public:
    void push_back(const Word& w) {
        if (spilled_.empty() && count_ < inline_.size()) {
            inline_[count_++] = w;
            return;
        }
        if (spilled_.empty()) spilled_.assign(inline_.begin(), inline_.begin() + count_);
        spilled_.push_back(w);
        ++count_;
    }
    size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    const Word* begin() const { return spilled_.empty() ? inline_.data() : spilled_.data(); }
    const Word* end() const { return begin() + count_; }
    const Word& operator[](size_t i) const { return begin()[i]; }
    const Word& back() const { return begin()[count_ - 1]; }

private:
    std::array<Word, 2> inline_{};
    std::vector<Word> spilled_;
    size_t count_ = 0;
};

}  // namespace ipt2nft::grammar
