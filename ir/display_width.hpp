// Terminal columns of UTF-8 text, so that a caret lines up under a source line's characters.
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

}  // namespace ipt2nft
