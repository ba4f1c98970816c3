// UTF-8 text as a terminal shows it: its columns, so that a caret lines up under a source line's
// characters, and where its characters start, so that a cut leaves none in pieces.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace ipt2nft {

// Columns `text` takes on a terminal: a wide character (CJK) two, an accented letter one, a
// byte that is no UTF-8 one (the terminal shows a replacement for it).
size_t display_width(std::string_view text);

// Blanks as wide as `text` on a terminal, with its tabs kept as tabs.
std::string blanks_as_wide_as(std::string_view text);

// `at` (at most text's size), or the start of the character text[at] is inside: the place to cut
// before it. Continuation bytes (10xxxxxx) are passed over up to the three a character has.
size_t character_start(std::string_view text, size_t at);

}  // namespace ipt2nft
