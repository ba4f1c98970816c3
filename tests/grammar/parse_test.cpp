// Unit tests of the PEGTL line grammars: accept/reject tables for save lines and shell lines.
#include <doctest/doctest.h>

#include "grammar/parse.hpp"

using namespace ipt2nft;
using namespace ipt2nft::grammar;

namespace {
bool save_ok(std::string_view line, SaveLine& out) {
    Diagnostics d;
    return parse_save_line(line, 1, 0, out, d);
}
std::vector<std::string> shell_words(std::string_view line, const Variables& vars = {}, bool* ok = nullptr) {
    Diagnostics d;
    Words w;
    bool r = parse_shell_line(line, 1, 0, vars, w, d);
    if (ok) *ok = r;
    std::vector<std::string> out;
    for (auto& x : w) out.push_back(x.text);
    return out;
}
}  // namespace

TEST_CASE("save lines that parse") {
    SaveLine l;
    CHECK(save_ok("*filter", l));
    CHECK(l.kind == SaveLine::Kind::table);
    CHECK(l.name == "filter");
    CHECK(save_ok(":INPUT DROP [12:345]", l));
    CHECK(l.policy == "DROP");
    REQUIRE(l.counters);
    CHECK(l.counters->packets == 12);
    CHECK(l.counters->bytes == 345);
    CHECK(save_ok("COMMIT", l));
    CHECK(l.kind == SaveLine::Kind::commit);
    SaveLine r;
    CHECK(save_ok("[1:2] -A INPUT -m comment --comment \"a \\\"b\\\" c\" -j ACCEPT", r));
    REQUIRE(r.words.size() == 8);
    CHECK(r.words[5].text == "a \"b\" c");
    CHECK(r.words[5].quoted);
}

TEST_CASE("save lines that are rejected, with the column of the fault") {
    for (std::string_view bad : {":INPUT", ":INPUT DROP [1:]", ":INPUT DROP [1:2", "*", "COMMIT now",
                                 "-A INPUT -m comment --comment \"open", "-A INPUT --comment 'open"}) {
        SaveLine l;
        Diagnostics d;
        CHECK_FALSE(parse_save_line(bad, 1, 0, l, d));
        CHECK(d.error_count() == 1);
    }
}

TEST_CASE("shell words: quoting, escapes, variables, field splitting") {
    CHECK(shell_words("iptables -A INPUT -j ACCEPT") == std::vector<std::string>{"iptables", "-A", "INPUT", "-j", "ACCEPT"});
    CHECK(shell_words("a 'b c' \"d e\" f\\ g") == std::vector<std::string>{"a", "b c", "d e", "f g"});
    Variables v{{"IPT", "/sbin/iptables -w"}, {"NET", "10.0.0.0/8"}};
    CHECK(shell_words("$IPT -s ${NET} -j ACCEPT", v) ==
          std::vector<std::string>{"/sbin/iptables", "-w", "-s", "10.0.0.0/8", "-j", "ACCEPT"});
    CHECK(shell_words("x \"$IPT\"", v) == std::vector<std::string>{"x", "/sbin/iptables -w"});
    CHECK(shell_words("iptables -A INPUT \\\n  -j DROP # done") == std::vector<std::string>{"iptables", "-A", "INPUT", "-j", "DROP"});
}

TEST_CASE("shell constructs that cannot be known are errors") {
    for (std::string_view bad : {"iptables -s $(cat x)", "iptables -s `cat x`", "iptables -s $UNSET", "iptables -s $1",
                                 "iptables -m comment --comment \"open", "echo ${A:-b}"}) {
        bool ok = true;
        shell_words(bad, {}, &ok);
        CHECK_FALSE(ok);
    }
}
