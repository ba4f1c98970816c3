// The binary-input checks: of a whole file before it is read, and of every line both readers
// run before reading words from it.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "grammar/readers.hpp"

namespace ipt2nft::grammar {

namespace {

bool is_binary_byte(unsigned char c) {
    if (c >= 0x20) return c == 0x7f;
    return c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f';
}

// Whether one of the eight bytes of `x` is below 0x20 or is 0x7f (bit tricks on the word; bytes
// from 0x80 up never count). Every byte of every line is checked, so eight at a time.
bool has_control_byte(uint64_t x) {
    constexpr uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    uint64_t del = x ^ (ones * 0x7f);
    return (((x - ones * 0x20) & ~x) | ((del - ones) & ~del)) & highs;
}

}  // namespace

// A NUL or other control byte means this is not text: say so instead of guessing at words.
bool reject_binary(std::string_view line, uint32_t file, uint32_t offset, Diagnostics& diags) {
    size_t i = 0;
    for (; i + 8 <= line.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, line.data() + i, 8);
        if (has_control_byte(word)) break;  // a tab, perhaps: the bytes are looked at one by one
    }
    auto it = std::find_if(line.begin() + static_cast<long>(i), line.end(),
                           [](char c) { return is_binary_byte(static_cast<unsigned char>(c)); });
    if (it == line.end()) return false;
    auto c = static_cast<unsigned char>(*it);
    auto at = offset + static_cast<uint32_t>(it - line.begin());
    diags.error(
        Span{file, at, at + 1},
        c == 0 ? "NUL byte in input: this is not a text ruleset" : fmt::format("control byte 0x{:02x} in input", c),
        "binary-input");
    return true;
}

bool reject_binary_file(std::string_view text, uint32_t file, Diagnostics& diags) {
    size_t nul = text.find('\0');
    if (nul == std::string_view::npos) return false;
    auto at = static_cast<uint32_t>(nul);
    diags.error(Span{file, at, at + 1},
                "NUL byte in input: this is a binary file, not a text ruleset; nothing of it is read", "binary-input");
    return true;
}

}  // namespace ipt2nft::grammar
