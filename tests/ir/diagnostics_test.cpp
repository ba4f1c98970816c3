// Unit tests of diagnostic rendering: location, source line, and a caret under the span as a
// terminal shows the line (tabs kept, UTF-8 characters by their width).
#include "ir/diagnostics.hpp"

#include <doctest/doctest.h>

#include <string>

#include "ir/display_width.hpp"

using namespace ipt2nft;

namespace {

// The caret line of an error at `needle` (its whole length) in the one-line file `line`.
std::string caret_under(const std::string& line, const std::string& needle) {
    SourceManager sources;
    uint32_t file = sources.add("f", line + "\n");
    auto at = static_cast<uint32_t>(line.find(needle));
    Diagnostics diags;
    diags.error(Span{file, at, at + static_cast<uint32_t>(needle.size())}, "bad", "code");
    std::string out = render_one(sources, diags.all().front());
    return out.substr(out.rfind('\n', out.size() - 2) + 1);
}

}  // namespace

TEST_CASE("the caret lines up under the span as the terminal shows the line") {
    CHECK(caret_under("-A X --dport 70000", "70000") == "             ^~~~~\n");
    CHECK(caret_under("-A\tX --dport 70000", "70000") == "  \t          ^~~~~\n");
    // "é" is two bytes in one column, "日本" six bytes in four columns.
    CHECK(caret_under("--comment \"é日本\" --dport 70000", "70000") == std::string(26, ' ') + "^~~~~\n");
    CHECK(caret_under("--comment \"日本\" x", "日本") == std::string(11, ' ') + "^~~~\n");
    // Bytes that are no UTF-8 take a column each, as the replacement the terminal shows for them.
    CHECK(caret_under("--comment \"\xff\xe6\x97\" x", "x") == std::string(16, ' ') + "^\n");
}

TEST_CASE("display width of UTF-8 text") {
    CHECK(display_width("") == 0);
    CHECK(display_width("abc") == 3);
    CHECK(display_width("é") == 1);
    CHECK(display_width("日本") == 4);
    CHECK(display_width("\xf0\x9f\x94\xa5") == 2);  // an emoji: one character, two columns
    CHECK(blanks_as_wide_as("a\té日") == " \t   ");
}
