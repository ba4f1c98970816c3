// RuleList edits: each touches only the part of the chain it changes.
#include "ir/rule_list.hpp"

#include <algorithm>

namespace ipt2nft {

RuleList::RuleList(const RuleList& other)
    : top_(other.top_ ? std::make_unique<std::vector<Rule>>(*other.top_) : nullptr), below_(other.below_) {}

RuleList& RuleList::operator=(const RuleList& other) {
    if (this != &other) *this = RuleList(other);
    return *this;
}

// Rules put or deleted near the top again and again (`-I CHAIN 2`, `-D CHAIN 1`) then go to or
// come off the end of a vector: the rules turn around once, not every time.
void RuleList::turn_around_for(size_t at) {
    if (top_size() != 0 || below_.size() < 2 || at >= below_.size() / 2) return;
    std::reverse(below_.begin(), below_.end());
    top_ = std::make_unique<std::vector<Rule>>(std::move(below_));
    below_.clear();
}

void RuleList::insert(size_t at, std::vector<Rule>&& rules) {
    turn_around_for(at);
    size_t top = top_size();
    if (at <= top) {
        if (!top_) top_ = std::make_unique<std::vector<Rule>>();
        // Kept last first: the rules go in reversed, after those that stay below them.
        top_->insert(top_->begin() + static_cast<std::ptrdiff_t>(top - at), std::make_move_iterator(rules.rbegin()),
                     std::make_move_iterator(rules.rend()));
    } else {
        below_.insert(below_.begin() + static_cast<std::ptrdiff_t>(at - top), std::make_move_iterator(rules.begin()),
                      std::make_move_iterator(rules.end()));
    }
}

void RuleList::erase(size_t first, size_t last) {
    turn_around_for(first);
    size_t top = top_size();
    if (last > top) {
        size_t from = std::max(first, top) - top;
        below_.erase(below_.begin() + static_cast<std::ptrdiff_t>(from),
                     below_.begin() + static_cast<std::ptrdiff_t>(last - top));
    }
    if (first < top) {
        size_t end = std::min(last, top);
        top_->erase(top_->begin() + static_cast<std::ptrdiff_t>(top - end),
                    top_->begin() + static_cast<std::ptrdiff_t>(top - first));
    }
}

std::vector<size_t> head_insertion_order(const RuleList& rules, size_t count) {
    std::vector<size_t> order;
    for (size_t end = count; end > 0;) {
        size_t first = end - 1;
        while (first > 0 && rules[first].origin.second_of_pair) --first;
        for (size_t k = first; k < end; ++k) order.push_back(k);
        end = first;
    }
    return order;
}

}  // namespace ipt2nft
