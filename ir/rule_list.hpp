// RuleList: a chain's rules in order, cheap to add to at either end.
#pragma once
#include <compare>
#include <cstddef>
#include <iterator>
#include <memory>
#include <type_traits>
#include <vector>

#include "ir/rule.hpp"

namespace ipt2nft {

// Rules put at the top of the chain are kept apart, last put first, from the others: a script
// inserting thousands of rules at the top (`iptables -I INPUT -s ... -j DROP`, as blocklists do)
// would otherwise move every rule below at each insertion, and so would deleting the first rule
// again and again (`-D CHAIN 1`) or inserting below it (`-I CHAIN 2`). Most chains never get
// such a rule: the part for them is made on first use (kube-proxy tables have tens of thousands
// of chains).
class RuleList {
public:
    template <bool constant>
    class Iterator {
    public:
        using List = std::conditional_t<constant, const RuleList, RuleList>;
        using iterator_category = std::random_access_iterator_tag;
        using value_type = Rule;
        using difference_type = std::ptrdiff_t;
        using pointer = std::conditional_t<constant, const Rule*, Rule*>;
        using reference = std::conditional_t<constant, const Rule&, Rule&>;

        Iterator() = default;
        // The parts' storage is taken once: the checks and the printer walk every rule this way.
        Iterator(List* list, size_t at)
            : top_end_(list->top_ ? list->top_->data() + list->top_->size() : nullptr),
              top_(list->top_size()),
              below_(list->below_.data()),
              at_(at) {}
        reference operator*() const {
            return at_ < top_ ? top_end_[-static_cast<difference_type>(at_ + 1)] : below_[at_ - top_];
        }
        pointer operator->() const { return &**this; }
        reference operator[](difference_type n) const { return *(*this + n); }
        Iterator& operator++() { return ++at_, *this; }
        Iterator operator++(int) {
            Iterator was = *this;
            ++at_;
            return was;
        }
        Iterator& operator--() { return --at_, *this; }
        Iterator operator--(int) {
            Iterator was = *this;
            --at_;
            return was;
        }
        Iterator& operator+=(difference_type n) { return at_ += static_cast<size_t>(n), *this; }
        Iterator& operator-=(difference_type n) { return at_ -= static_cast<size_t>(n), *this; }
        friend Iterator operator+(Iterator i, difference_type n) { return i += n; }
        friend Iterator operator+(difference_type n, Iterator i) { return i += n; }
        friend Iterator operator-(Iterator i, difference_type n) { return i -= n; }
        friend difference_type operator-(const Iterator& a, const Iterator& b) {
            return static_cast<difference_type>(a.at_) - static_cast<difference_type>(b.at_);
        }
        friend bool operator==(const Iterator& a, const Iterator& b) { return a.at_ == b.at_; }
        friend auto operator<=>(const Iterator& a, const Iterator& b) { return a.at_ <=> b.at_; }

    private:
        pointer top_end_ = nullptr;  // the top rules are stored last first: rule i is top_end_[-(i + 1)]
        size_t top_ = 0;
        pointer below_ = nullptr;
        size_t at_ = 0;
    };
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;

    RuleList() = default;
    explicit RuleList(std::vector<Rule> rules) : below_(std::move(rules)) {}
    RuleList(const RuleList& other);
    RuleList& operator=(const RuleList& other);
    RuleList(RuleList&&) noexcept = default;
    RuleList& operator=(RuleList&&) noexcept = default;

    size_t size() const { return top_size() + below_.size(); }
    bool empty() const { return size() == 0; }
    Rule& operator[](size_t i) { return begin()[static_cast<std::ptrdiff_t>(i)]; }
    const Rule& operator[](size_t i) const { return begin()[static_cast<std::ptrdiff_t>(i)]; }
    iterator begin() { return {this, 0}; }
    iterator end() { return {this, size()}; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size()}; }

    void push_back(Rule&& rule) { below_.push_back(std::move(rule)); }
    // Puts `rules`, in their order, before the rule at `at` (at the end when `at` is size()).
    void insert(size_t at, std::vector<Rule>&& rules);
    void erase(size_t first, size_t last);  // the rules [first, last)
    void clear() {
        top_.reset();
        below_.clear();
    }

private:
    size_t top_size() const { return top_ ? top_->size() : 0; }
    void turn_around_for(size_t at);          // an edit at `at`, near the top: all rules to the top part
    std::unique_ptr<std::vector<Rule>> top_;  // the first rules, last first
    std::vector<Rule> below_;
};

// The order in which the first `count` rules are put at a chain's head one after another so that
// they stand as listed: backwards, but each pair's second rule right after its first (added after
// it, not at the head).
std::vector<size_t> head_insertion_order(const RuleList& rules, size_t count);

}  // namespace ipt2nft
