// Display width: UTF-8 decoded by hand, each character's width as the C.UTF-8 locale's wcwidth
// tells it (the process itself stays in the C locale).
#include "ir/display_width.hpp"

#include <locale.h>

#include <cwchar>
#include <utility>

namespace ipt2nft {

namespace {

// The character starting `text` and its length in bytes; a byte that begins no well-formed
// character is one of its own, U+FFFD.
std::pair<char32_t, size_t> decode(std::string_view text) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(0);
    size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || length > text.size()) return {U'\uFFFD', 1};
    char32_t c = length == 1 ? lead : lead & (0x7f >> length);
    for (size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) return {U'\uFFFD', 1};
        c = (c << 6) | (byte(i) & 0x3f);
    }
    return {c, length};
}

size_t columns(char32_t c) {
    if (c < 0x80) return 1;
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (!utf8) return 1;
    locale_t before = uselocale(utf8);
    int width = wcwidth(static_cast<wchar_t>(c));
    uselocale(before);
    return width < 0 ? 1 : static_cast<size_t>(width);
}

}  // namespace

size_t display_width(std::string_view text) {
    size_t width = 0;
    while (!text.empty()) {
        auto [c, length] = decode(text);
        width += columns(c);
        text.remove_prefix(length);
    }
    return width;
}

std::string blanks_as_wide_as(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        auto [c, length] = decode(text);
        out.append(c == U'\t' ? 1 : columns(c), c == U'\t' ? '\t' : ' ');
        text.remove_prefix(length);
    }
    return out;
}

}  // namespace ipt2nft
