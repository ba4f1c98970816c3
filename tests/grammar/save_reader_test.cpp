// Unit tests of the save reader: how the file is cut into batches and threads never shows.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "../save_reading.hpp"

using namespace ipt2nft;
using namespace ipt2nft::grammar;
using ipt2nft::test::read;
using ipt2nft::test::Reading;

namespace {

// One block of a save file with something of every kind, errors included; `i` varies names and
// values so that each repetition differs.
std::string block(int i) {
    std::string s;
    s += fmt::format("# block {}\n*filter\n:INPUT DROP [{}:{}]\r\n:USER{} - [0:0]\n", i, i, 2 * i, i);
    s +=
        fmt::format("[3:{}] -A INPUT -p tcp -m tcp --dport {} -m comment --comment \"a \\\"quoted\\\" {}\" -j USER{}\n",
                    i, 1000 + i, i, i);
    s += fmt::format("-A USER{} -p tcp --dport 70000 -j ACCEPT\n", i);                    // out of range
    s += fmt::format("-A USER{} -s 10.0.{}.0/24 -m string --algo bm --string x -j DROP\n", i,
                     i % 256);                                                            // untranslatable
    s += std::string("-A INPUT -j ACC\0EPT\n", 20);                                       // a NUL byte
    s += "COMMIT\n";
    s += fmt::format("-A INPUT -p tcp --dport 1{}00000 -j ACCEPT\n", i);  // outside a table: only that is said
    if (i % 7 == 3) s += "*nat\n:PREROUTING ACCEPT [0:0]\n";              // not closed before the next table
    return s;
}

}  // namespace

TEST_CASE("a save file reads the same whatever the batches and threads") {
    std::string text;
    for (int i = 0; i < 70; ++i) text += block(i);  // over 200 diagnostics: the cap is reached too
    Reading whole = read(text, {text.size() + 1, 1});
    CHECK(whole.commands.find("comment=a \"quoted\" 69") != std::string::npos);
    CHECK(whole.diagnostics.find("[missing-commit]") != std::string::npos);
    CHECK(whole.diagnostics.find("[outside-table]") != std::string::npos);
    CHECK(whole.diagnostics.find("port 1000000 is out") ==
          std::string::npos);  // the outside rule's own error is not said
    CHECK(whole.diagnostics.find("port 70000") != std::string::npos);
    CHECK(whole.diagnostics.find("220 errors") != std::string::npos);  // 3 a block, and 10 nat tables left open
    for (SaveFileSplit split :
         {SaveFileSplit{1, 4}, SaveFileSplit{100, 3}, SaveFileSplit{4096, 2}, SaveFileSplit{1, 1}}) {
        CAPTURE(split.batch_bytes);
        CAPTURE(split.threads);
        Reading r = read(text, split);
        CHECK(r.commands == whole.commands);
        CHECK(r.diagnostics == whole.diagnostics);
    }
}

TEST_CASE("a last line without a newline, and an empty file") {
    for (size_t batch : {1, 5, 1000}) {
        Reading r = read("*filter\n-A INPUT -j DROP\nCOMMIT", {batch, 2});
        CHECK(r.commands.find("COMMIT") == std::string::npos);
        CHECK(r.diagnostics == "0 errors\n");
        CHECK(std::count(r.commands.begin(), r.commands.end(), '\n') == 3);
        CHECK(read("", {batch, 2}).commands.empty());
    }
}

TEST_CASE("iptables-nft-save's word that it could not list a table, or legacy tables, is a warning at its line") {
    // Both forms, as iptables 1.8.7 and 1.8.9 write them; other comments say nothing.
    auto old_form =
        read("# Table `nat' is incompatible, use 'nft' tool.\n*filter\nCOMMIT\n# Table of contents\n", {1 << 20, 1});
    CHECK(old_form.diagnostics.find("t.v4:1:1: warning: iptables-nft-save could not list all of table nat") !=
          std::string::npos);
    CHECK(old_form.diagnostics.find("t.v4:4:") == std::string::npos);
    auto new_form =
        read("# Table `filter' contains incompatible base-chains, use 'nft' tool to list them.\n*filter\nCOMMIT\n",
             {1 << 20, 1});
    CHECK(new_form.diagnostics.find("table filter: the kernel held rules or chains there") != std::string::npos);
    CHECK(new_form.diagnostics.find("[unlisted-table]") != std::string::npos);
    auto legacy = read(
        "*filter\nCOMMIT\n# Warning: ip6tables-legacy tables present, use ip6tables-legacy-save to see "
        "them\n",
        {1 << 20, 1});
    CHECK(legacy.diagnostics.find("t.v4:3:1: warning: the kernel also held rules in iptables-legacy's tables") !=
          std::string::npos);
}
