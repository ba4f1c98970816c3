// Word: one argument after quoting and expansion, with the span it was written at.
#pragma once
#include <string>
#include <vector>

#include "ir/span.hpp"

namespace ipt2nft::grammar {

struct Word {
    std::string text;
    Span span;
    bool quoted = false;     // any part was quoted: a quoted "!" is a value, not a negation
    bool operator_ = false;  // a shell operator such as ; | & > <
};

using Words = std::vector<Word>;

}  // namespace ipt2nft::grammar
