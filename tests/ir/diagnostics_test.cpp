// Unit tests of diagnostic rendering: location, source line, and a caret under the span as a
// terminal shows the line (tabs kept, UTF-8 characters by their width).
#include "ir/diagnostics.hpp"

#include <doctest/doctest.h>

#include <string>

#include "util/display_width.hpp"

using namespace ipt2nft;

namespace {

// The rendering of an error `message` at `needle` (its whole length) in the one-line file `line`.
std::string rendered(const std::string& line, const std::string& needle, const std::string& message = "bad") {
    SourceManager sources;
    uint32_t file = sources.add("f", line + "\n");
    auto at = static_cast<uint32_t>(line.find(needle));
    Diagnostics diags;
    diags.error(Span{file, at, at + static_cast<uint32_t>(needle.size())}, message, "code");
    return render_one(sources, diags.all().front());
}

// Its three lines: the message, the source line shown, the caret line (each without its newline).
struct Lines {
    std::string message, source, caret;
};
Lines lines_of(const std::string& out) {
    size_t first = out.find('\n'), second = out.find('\n', first + 1);
    return {out.substr(0, first), out.substr(first + 1, second - first - 1),
            out.substr(second + 1, out.size() - second - 2)};
}

std::string caret_under(const std::string& line, const std::string& needle) {
    return lines_of(rendered(line, needle)).caret + "\n";
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

TEST_CASE("a line too long to show whole is shown around the span, the caret still under it") {
    std::string filler;
    for (int i = 0; i < 300; ++i) filler += "-s 1.1.1.1 ";
    std::string line = "-A INPUT " + filler + "--dport 70000 " + filler + "-j ACCEPT";
    Lines shown = lines_of(rendered(line, "70000"));
    CHECK(shown.source.size() < 300);
    CHECK(shown.source.starts_with("..."));
    CHECK(shown.source.ends_with("..."));
    size_t caret = shown.caret.find('^');
    REQUIRE(caret != std::string::npos);
    CHECK(shown.source.substr(caret, 5) == "70000");
    CHECK(shown.caret.substr(caret) == "^~~~~");
    // Near the start, nothing is left out before the span.
    Lines start = lines_of(rendered(line, "INPUT"));
    CHECK(start.source.starts_with("-A INPUT "));
    CHECK(start.caret == "   ^~~~~");
    // A line of a little under the limit is shown whole.
    std::string whole = "-A INPUT " + std::string(400, 'x') + " --dport 70000";
    CHECK(lines_of(rendered(whole, "70000")).source == whole);
}

TEST_CASE("a long line is cut between UTF-8 characters, and columns count as the terminal shows them") {
    std::string wide;
    for (int i = 0; i < 400; ++i) wide += "日";  // three bytes, two columns each
    std::string line = "--comment \"" + wide + "\" --dport 70000 " + wide;
    Lines shown = lines_of(rendered(line, "70000"));
    std::string inner = shown.source.substr(3, shown.source.size() - 6);  // without the "..." marks
    CHECK(line.find(inner) != std::string::npos);
    CHECK(inner.starts_with("日"));
    CHECK(inner.ends_with("日"));
    size_t caret = shown.caret.find('^');
    std::string before = shown.source.substr(0, shown.source.find("70000"));
    CHECK(caret == display_width(before));
}

TEST_CASE("a message quoting a huge word keeps its beginning and its end") {
    std::string name(200000, 'a');
    Lines shown = lines_of(rendered("-N " + name, name, "chain name '" + name + "' is longer than 28 characters"));
    CHECK(shown.message.size() < 1100);
    CHECK(shown.message.starts_with("f:1:4: error: chain name 'aaa"));
    CHECK(shown.message.find("a ... a") != std::string::npos);
    CHECK(shown.message.ends_with("aaa' is longer than 28 characters [code]"));
}

TEST_CASE("display width of UTF-8 text") {
    CHECK(display_width("") == 0);
    CHECK(display_width("abc") == 3);
    CHECK(display_width("é") == 1);
    CHECK(display_width("日本") == 4);
    CHECK(display_width("\xf0\x9f\x94\xa5") == 2);  // an emoji: one character, two columns
    CHECK(blanks_as_wide_as("a\té日") == " \t   ");
}

TEST_CASE("where a UTF-8 character starts: a cut there leaves none in pieces") {
    std::string text = "aé日\xf0\x9f\x94\xa5";  // 1, 2, 3 and 4 bytes
    CHECK(character_start(text, 0) == 0);
    CHECK(character_start(text, 1) == 1);
    CHECK(character_start(text, 2) == 1);  // inside "é"
    CHECK(character_start(text, 5) == 3);  // inside "日"
    CHECK(character_start(text, 9) == 6);  // inside the emoji, three bytes in
    CHECK(character_start(text, 10) == 10);
    CHECK(character_start(text, 99) == 10);  // past the end: the end
    // Bytes that are no UTF-8 are passed over no more than a character's three continuation bytes.
    CHECK(character_start(std::string(8, '\x80'), 6) == 3);
}
