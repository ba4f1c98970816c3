// nft's merging of tests of neighbouring header fields into one load: which it makes, and which
// change what a rule means.
#pragma once
#include <cstddef>
#include <vector>

#include "ir/condition.hpp"

namespace ipt2nft {

// Tests nft (1.0.6, its payload_try_merge) merges into one load and comparison: header fields
// compared whole with a value by `==` or `!=`, neighbours in one header, up to 4 bytes in all.
// It gathers them up to a statement (a rate, a quota, a set update or count) and merges those
// gathered there only if they are two or more: a lone one is gathered on with those after it.
struct PayloadMerge {
    std::vector<size_t> tests;  // indexes into the conditions, in the header's offset order
    // The merge changes the rule: two `!=` tests made one (the packet then passes if either field
    // differs), or a test moved before a condition that counts the packets reaching it (a rate's
    // token is taken from every packet passing the tests before it, not only from those passing
    // this one too; an nth-packet counter counts them).
    bool changes_meaning = false;
};

// The merges nft makes of `conditions` (the rule's as written in the script, in order).
std::vector<PayloadMerge> payload_merges(const std::vector<const Condition*>& conditions);

}  // namespace ipt2nft
