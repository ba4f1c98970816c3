// Display width: each character as the C.UTF-8 locale decodes it (mbrtowc) and measures it
// (wcwidth); the process itself stays in the C locale.
#include "util/display_width.hpp"

#include <locale.h>

#include <algorithm>
#include <cwchar>

namespace ipt2nft {

namespace {

// Calls `each(columns, is_tab)` for each character of `text`. A byte that begins no well-formed
// character is one column, as the replacement a terminal shows for it; without a C.UTF-8 locale
// every byte is one.
template <class Each>
void for_each_character(std::string_view text, Each each) {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (!utf8) {
        for (char c : text) each(1, c == '\t');
        return;
    }
    locale_t before = uselocale(utf8);
    std::mbstate_t state{};
    while (!text.empty()) {
        wchar_t c = 0;
        size_t length = std::mbrtowc(&c, text.data(), text.size(), &state);
        if (length == 0 || length > text.size()) {  // a NUL, or no character here
            state = {};
            length = 1;
            c = L'\uFFFD';
        }
        int width = wcwidth(c);
        each(width < 0 ? 1 : static_cast<size_t>(width), c == L'\t');
        text.remove_prefix(length);
    }
    uselocale(before);
}

}  // namespace

size_t display_width(std::string_view text) {
    size_t width = 0;
    for_each_character(text, [&](size_t columns, bool) { width += columns; });
    return width;
}

std::string blanks_as_wide_as(std::string_view text) {
    std::string out;
    for_each_character(text, [&](size_t columns, bool tab) { out.append(tab ? 1 : columns, tab ? '\t' : ' '); });
    return out;
}

size_t character_start(std::string_view text, size_t at) {
    at = std::min(at, text.size());
    for (int k = 0; k < 3 && at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xc0) == 0x80; ++k)
        --at;
    return at;
}

}  // namespace ipt2nft
