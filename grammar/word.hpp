// Word: one argument after quoting and expansion, with the span it was written at.
#pragma once
#include <string_view>
#include <vector>

#include "ir/span.hpp"

namespace ipt2nft::grammar {

// The text views the input when the word was written plainly, else the sources' TextStore.
struct Word {
    std::string_view text;
    Span span;
    bool quoted = false;     // any part was quoted: for the shell, not a reserved word (`!`, `{`);
                             // iptables sees the word alike either way
    bool operator_ = false;  // a shell operator such as ; | & > <
};

using Words = std::vector<Word>;

}  // namespace ipt2nft::grammar
