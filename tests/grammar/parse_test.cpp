// Unit tests of the line level: PEGTL grammars for save and shell lines (accept/reject tables), binary bytes.
#include "grammar/parse.hpp"

#include <doctest/doctest.h>

#include "../translate_helper.hpp"
#include "grammar/readers.hpp"

using namespace ipt2nft;
using namespace ipt2nft::grammar;

namespace {
TextStore store;  // words made of pieces live here, for the whole test run
bool save_ok(std::string_view line, SaveLine& out) {
    Diagnostics d;
    return parse_save_line(line, 1, 0, store, out, d);
}
std::vector<std::string> shell_words(std::string_view line, const Variables& vars = {}, bool* ok = nullptr) {
    Diagnostics d;
    Words w;
    bool r = parse_shell_line(line, 1, 0, vars, store, w, d);
    if (ok) *ok = r;
    std::vector<std::string> out;
    for (auto& x : w) out.emplace_back(x.text);
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
    // Counters only at the start of the line, as iptables-restore reads them; blanks may lead a rule.
    SaveLine indented;
    CHECK(save_ok(" [1:2] -A INPUT -j ACCEPT", indented));
    CHECK_FALSE(indented.counters);
    CHECK(indented.words.front().text == "[1:2]");
    CHECK(save_ok("  -A INPUT -j ACCEPT", indented));
    CHECK(indented.words.front().text == "-A");
}

TEST_CASE("save words view the line unless quoting changed them") {
    std::string line = "-A INPUT -m comment --comment \"plain text\" -j A\"B\\\"C\"";
    SaveLine l;
    REQUIRE(save_ok(line, l));
    REQUIRE(l.words.size() == 8);
    auto in_line = [&](std::string_view w) { return w.data() >= line.data() && w.data() < line.data() + line.size(); };
    CHECK(l.words[1].text == "INPUT");
    CHECK(in_line(l.words[1].text));
    CHECK(l.words[5].text == "plain text");  // one quoted run: still the line's own bytes
    CHECK(in_line(l.words[5].text));
    CHECK(l.words[7].text == "AB\"C");  // pieces joined: kept in the store
    CHECK_FALSE(in_line(l.words[7].text));
    // Reusing the line record for the next line replaces its words.
    REQUIRE(save_ok("-A OUTPUT -j DROP", l));
    CHECK(l.words.size() == 4);
}

TEST_CASE("save words as iptables-restore splits them: only double quotes group, and end the word") {
    SaveLine l;
    REQUIRE(save_ok("-A INPUT --comment 'x' a\"b c\" \"d\"e \"\"", l));
    std::vector<std::string> words;
    for (const auto& w : l.words) words.emplace_back(w.text);
    CHECK(words == std::vector<std::string>{"-A", "INPUT", "--comment", "'x'", "ab c", "d", "e", ""});
}

TEST_CASE("a save word over 1023 bytes is refused, as iptables-restore refuses it") {
    SaveLine l;
    Diagnostics d;
    std::string longest = "-A INPUT --comment " + std::string(1023, 'x');
    CHECK(parse_save_line(longest, 1, 0, store, l, d));
    std::string too_long = "-A INPUT --comment \"" + std::string(1024, 'x') + "\"";
    CHECK_FALSE(parse_save_line(too_long, 1, 0, store, l, d));
    REQUIRE(d.error_count() == 1);
    CHECK(d.all().front().code == "word-too-long");
}

TEST_CASE("save lines that are rejected, with the column of the fault") {
    for (std::string_view bad :
         {":INPUT", ":INPUT DROP [1:]", ":INPUT DROP [1:2", "*", "COMMIT now", "-A INPUT -m comment --comment \"open",
          "COMMIT ", " \t", "  # indented", "  *filter", " :INPUT ACCEPT [0:0]"}) {
        SaveLine l;
        Diagnostics d;
        CHECK_FALSE(parse_save_line(bad, 1, 0, store, l, d));
        CHECK(d.error_count() == 1);
    }
}

TEST_CASE("shell words: quoting, escapes, variables, field splitting") {
    CHECK(shell_words("iptables -A INPUT -j ACCEPT") ==
          std::vector<std::string>{"iptables", "-A", "INPUT", "-j", "ACCEPT"});
    CHECK(shell_words("a 'b c' \"d e\" f\\ g") == std::vector<std::string>{"a", "b c", "d e", "f g"});
    Variables v{{"IPT", {"/sbin/iptables -w", {}}}, {"NET", {"10.0.0.0/8", {}}}};
    CHECK(shell_words("$IPT -s ${NET} -j ACCEPT", v) ==
          std::vector<std::string>{"/sbin/iptables", "-w", "-s", "10.0.0.0/8", "-j", "ACCEPT"});
    CHECK(shell_words("x \"$IPT\"", v) == std::vector<std::string>{"x", "/sbin/iptables -w"});
    CHECK(shell_words("iptables -A INPUT \\\n  -j DROP # done") ==
          std::vector<std::string>{"iptables", "-A", "INPUT", "-j", "DROP"});
}

TEST_CASE("variables expand to no word over 128 KiB and no line over 2 MiB, as Linux passes arguments") {
    Variables v{{"A", {std::string(131071, 'a'), {}}}, {"B", {std::string(100000, 'b'), {}}}};
    bool ok = false;
    CHECK(shell_words("x $A", v, &ok).back().size() == 131071);
    CHECK(ok);
    shell_words("x ${A}b", v, &ok);  // the literal after it is within the bound
    CHECK(ok);
    shell_words("x b$A$A", v, &ok);
    CHECK(!ok);
    std::string many = "iptables";
    for (int i = 0; i < 20; ++i) many += " $B";
    CHECK(shell_words(many, v, &ok).size() == 21);
    CHECK(ok);
    shell_words(many + " $B", v, &ok);
    CHECK(!ok);
}

TEST_CASE("shell redirections are read and left out of the command's words") {
    CHECK(shell_words("iptables -N X 2>/dev/null") == std::vector<std::string>{"iptables", "-N", "X"});
    CHECK(shell_words("iptables -F >> \"$LOG\" 2>&1", {{"LOG", {"/var/log/fw", {}}}}) ==
          std::vector<std::string>{"iptables", "-F"});
    CHECK(shell_words("iptables -F &>/dev/null -v") == std::vector<std::string>{"iptables", "-F", "-v"});
    CHECK(shell_words("iptables-restore <<< \"$R\" -n", {{"R", {"*filter", {}}}}) ==
          std::vector<std::string>{"iptables-restore", "-n"});
    // A redirection without its file is an operator the script reader refuses.
    CHECK(shell_words("iptables -F >") == std::vector<std::string>{"iptables", "-F", ">"});
    // Digits make a file descriptor only when '>' follows them at once.
    CHECK(shell_words("iptables --dport 22 >x") == std::vector<std::string>{"iptables", "--dport", "22"});
    // In double quotes `$'` is a '$' and a quote, in bash and sh alike.
    CHECK(shell_words("iptables --comment \"$'x'\"") == std::vector<std::string>{"iptables", "--comment", "$'x'"});
}

TEST_CASE("arithmetic expansion is named as such, not as command substitution") {
    Diagnostics d;
    Words words;
    CHECK_FALSE(parse_shell_line("iptables --dport $((1000+22))", 1, 0, {}, store, words, d));
    REQUIRE(d.all().size() == 1);
    CHECK(d.all().front().message.starts_with("arithmetic expansion is not supported"));
}

TEST_CASE("shell constructs that cannot be known are errors") {
    for (std::string_view bad :
         {"iptables -s $(cat x)", "iptables -s `cat x`", "iptables -s $UNSET", "iptables -s $1",
          "iptables -m comment --comment \"open", "echo ${A:-b}", "iptables -m comment --comment $'a\\tb'",
          "iptables -m comment --comment $\"a\"", "iptables -s {10.0.0.1,10.0.0.2}", "iptables --dport {1..3}",
          "x a{b,c}d", "x {a..c..2}", "x {,}"}) {
        bool ok = true;
        shell_words(bad, {}, &ok);
        CHECK_MESSAGE(!ok, bad);
    }
    // Braces bash keeps as written, as sh does.
    for (std::string_view same : {"{a}", "{}", "x{y", "}{", "{1..a}", "{1..3..}", "{a,b"}) {
        bool ok = false;
        CHECK(shell_words("x " + std::string(same), {}, &ok).back() == same);
        CHECK_MESSAGE(ok, same);
    }
    CHECK(shell_words("x \"{a,b}\"").back() == "{a,b}");
}

#include "grammar/readers.hpp"

TEST_CASE("format and family detection") {
    CHECK(detect_format("# comment\n*filter\n") == InputFormat::save);
    CHECK(detect_format("#!/bin/sh\niptables -A INPUT -j ACCEPT\n") == InputFormat::script);
    // The shell's `:` and `[` begin scripts; a chain line and a rule's counters begin save files.
    for (const char* script : {"[ -x /sbin/iptables ] || exit 0\n", ":\n", ": ${IPT:=iptables}\n"})
        CHECK(detect_format(script) == InputFormat::script);
    for (const char* save : {":INPUT ACCEPT [0:0]\n", "[1:2] -A INPUT -j ACCEPT\n"})
        CHECK(detect_format(save) == InputFormat::save);
    CHECK(family_evidence("# Generated by ip6tables-save v1.8.9\n*filter\n").header == Family::ipv6);
    // As iptables 1.8 names itself with the nft or legacy backend: the header tells, not the rules.
    CHECK(family_evidence("# Generated by ip6tables-nft-save v1.8.9 (nf_tables) on Tue\n*filter\n-A INPUT -j "
                          "ACCEPT\n")
              .header == Family::ipv6);
    CHECK(family_evidence("# Generated by ip6tables-legacy-save v1.8.9 on Tue\n*filter\n").header == Family::ipv6);
    CHECK(family_evidence("# Generated by iptables-nft-save v1.8.9 (nf_tables) on Tue\n*filter\n").header ==
          Family::ipv4);
    CHECK(family_evidence("*filter\n-A INPUT -m comment --comment \"see ip6tables-save\" -s 10.0.0.1 -j ACCEPT\n")
              .content == Family::ipv4);
    CHECK(family_evidence("*filter\n-A INPUT -s 2001:db8::/32 -j ACCEPT\n").content == Family::ipv6);
    CHECK(family_evidence("*filter\n-A INPUT -p ipv6-icmp -j ACCEPT\n").content == Family::ipv6);
    CHECK(family_evidence("*nat\n-A PREROUTING -j DNAT --to-destination 10.0.0.1:80\n").content == Family::ipv4);
    CHECK(family_evidence("*nat\n-A PREROUTING -j DNAT --to-destination [fec0::1]:80\n").content == Family::ipv6);
    CHECK_FALSE(family_evidence("*filter\n-A INPUT -j ACCEPT\n").content);
    CHECK_FALSE(family_evidence("*filter\n-A INPUT -j ACCEPT\n").header);
    // Each piece apart, where it is: the header, and the rules' first word of their one family.
    auto both = family_evidence("# Generated by ip6tables-save v1.8.9\n*filter\n-A INPUT -s 10.0.0.1 -j DROP\n");
    CHECK(both.header == Family::ipv6);
    CHECK(both.header_program == "ip6tables-save");
    CHECK(both.content == Family::ipv4);
    CHECK(both.content_at == 57);
    CHECK_FALSE(family_evidence("*filter\n-A INPUT -s 10.0.0.1 -d 2001:db8::1 -j DROP\n").content);
}

TEST_CASE("a save file that tells no family: rules.v6 and rules.v4 by name, as iptables-persistent keeps them") {
    auto family = [](const char* name) {
        TranslateRequest r;
        r.inputs.push_back({name, "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n"});
        return ipt2nft::test::run(std::move(r));
    };
    auto v6 = family("/etc/iptables/rules.v6");
    CHECK(v6.script.starts_with("table ip6 filter\n"));
    CHECK(v6.diagnostics.find("only the file's name tells the IP family: taken as IPv6") != std::string::npos);
    auto v4 = family("rules.v4");
    CHECK(v4.script.starts_with("table ip filter\n"));
    CHECK(v4.diagnostics.empty());
    auto other = family("firewall.rules");
    CHECK(other.script.starts_with("table ip filter\n"));
    CHECK(other.diagnostics.find("[family-assumed]") != std::string::npos);
}

TEST_CASE("control bytes are found wherever they stand in a line, text bytes never") {
    for (size_t at = 0; at < 20; ++at)
        for (char bad : {'\0', '\x01', '\x1b', '\x7f'}) {
            std::string line(20, 'a');
            line[at] = bad;
            Diagnostics d;
            CHECK(reject_binary(line, 1, 100, d));
            REQUIRE(d.error_count() == 1);
            CHECK(d.all().front().span.begin == 100 + at);
        }
    Diagnostics d;
    CHECK_FALSE(reject_binary("-A INPUT\t-m comment --comment \"caf\xc3\xa9 \xe2\x82\xac\" -j ACCEPT\r", 1, 0, d));
    CHECK_FALSE(reject_binary(std::string(1000, '~') + "\xff\x80 \v\f", 1, 0, d));
    CHECK(reject_binary("\t\tab\x02", 1, 0, d));  // after a tab, still found
    CHECK(d.error_count() == 1);
}
