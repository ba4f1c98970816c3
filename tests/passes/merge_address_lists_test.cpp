// Unit tests of address lists: one kernel rule per address in the replay, one nft rule where no
// packet can tell the difference.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

using ipt2nft::test::rule;
using ipt2nft::test::run;

namespace {

// The rule lines of the chain the text fills, without counters, one per line.
std::string rules_of(const std::string& text) {
    auto o = run(text, false);
    if (!o.ok) return "ERROR " + o.diagnostics;
    std::string out;
    size_t at = o.script.find("policy accept;\n");
    if (at == std::string::npos) return o.script;
    for (at += 15; o.script.compare(at, 2, "\t\t") == 0; at = o.script.find('\n', at) + 1)
        out += o.script.substr(at + 2, o.script.find('\n', at) - at - 2) + "\n";
    return out;
}

}  // namespace

TEST_CASE("siblings merge into sets when the first that matches decides") {
    CHECK(rules_of("iptables -A INPUT -s 192.0.2.1,192.0.2.2 -j ACCEPT\n") ==
          "ip saddr { 192.0.2.1, 192.0.2.2 } accept\n");
    CHECK(rules_of("iptables -A INPUT -s 192.0.2.1,192.0.2.2 -d 10.0.0.1,10.0.0.2 -j DROP\n") ==
          "ip saddr { 192.0.2.1, 192.0.2.2 } ip daddr { 10.0.0.1, 10.0.0.2 } drop\n");
    CHECK(rules_of("iptables -A INPUT -s 192.0.2.1,192.0.2.1 -j REJECT\n") == "ip saddr 192.0.2.1 reject\n");
    CHECK(rules_of("iptables -A INPUT -s 10.1.0.0/16,10.0.0.0/8 -j RETURN\n") == "ip saddr 10.0.0.0/8 return\n");
    CHECK(rules_of("iptables -t nat -A PREROUTING -d 10.0.0.1,10.0.0.2 -p tcp -j DNAT --to-destination 1.2.3.4")
              .find("ip daddr { 10.0.0.1, 10.0.0.2 }") != std::string::npos);
    CHECK(rules_of("ip6tables -A INPUT -s 2001:db8::1,2001:db8::2 -j ACCEPT\n") ==
          "ip6 saddr { 2001:db8::1, 2001:db8::2 } accept\n");
}

TEST_CASE("siblings stay apart where a packet could meet two of them or each keeps state") {
    // Every matching rule logs, marks or jumps: nested or repeated addresses would do it twice.
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.0/8,10.1.0.0/16 -j LOG\n") ==
          "ip saddr 10.0.0.0/8 log\nip saddr 10.1.0.0/16 log\n");
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.1,10.0.0.1 -j MARK --xor-mark 1\n") ==
          "ip saddr 10.0.0.1 meta mark set mark xor 0x1\nip saddr 10.0.0.1 meta mark set mark xor 0x1\n");
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.1,10.0.0.2 -j LOG\n") == "ip saddr { 10.0.0.1, 10.0.0.2 } log\n");
    // A bucket or an nth counter per kernel rule.
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.1,10.0.0.2 -m limit --limit 1/s -j ACCEPT\n")
              .find("ip saddr 10.0.0.2 limit") != std::string::npos);
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.1,10.0.0.2 -m statistic --mode nth --every 2 --packet 0 -j ACCEPT\n")
              .find("ip saddr 10.0.0.2 numgen") != std::string::npos);
    // A random draw per rule met: two draws for an address in both, one for separate ones.
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.0/8,10.0.0.1 -m statistic --mode random --probability 0.5 -j DROP\n")
              .find("ip saddr 10.0.0.1 meta random") != std::string::npos);
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.2,10.0.0.1 -m statistic --mode random --probability 0.5 -j DROP\n")
              .find("ip saddr { 10.0.0.2, 10.0.0.1 } meta random") != std::string::npos);
    // 0/0 tests nothing, a mask with holes is no set element.
    CHECK(rules_of("iptables -A INPUT -s 0/0,10.0.0.1 -j ACCEPT\n") == "accept\nip saddr 10.0.0.1 accept\n");
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.0/255.0.255.0,10.9.0.0/16 -j ACCEPT\n") ==
          "ip saddr & 255.0.255.0 == 10.0.0.0 accept\nip saddr 10.9.0.0/16 accept\n");
}

TEST_CASE("the replay sees the kernel rules of a list (seen with iptables-nft)") {
    // -I puts each at the same position: b ends before a, and a rule inserted at 2 lands between.
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.1,10.0.0.2 -j LOG\niptables -I INPUT 2 -p udp -j ACCEPT\n") ==
          "ip saddr 10.0.0.1 log\nip protocol udp accept\nip saddr 10.0.0.2 log\n");
    CHECK(rules_of("iptables -I INPUT -s 10.0.0.1,10.0.0.2 -j LOG\n") == "ip saddr { 10.0.0.2, 10.0.0.1 } log\n");
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.1,10.0.0.2 -j DROP\niptables -D INPUT -s 10.0.0.1 -j DROP\n") ==
          "ip saddr 10.0.0.2 drop\n");
    CHECK(rules_of("iptables -A INPUT -s 10.0.0.1 -j DROP\niptables -A INPUT -s 10.0.0.2 -j DROP\n"
                   "iptables -D INPUT -s 10.0.0.2,10.0.0.1 -j DROP\n") == "");
    CHECK(rules_of("set -e\niptables -A INPUT -s 10.0.0.1 -j DROP\niptables -D INPUT -s 10.0.0.1,10.0.0.1 -j DROP\n")
              .find("iptables then deletes none [no-such-rule]") != std::string::npos);
    CHECK(rules_of("set -e\niptables -A INPUT -j DROP\niptables -R INPUT 1 -s 10.0.0.1,10.0.0.2 -j DROP\n")
              .find("[several-addresses]") != std::string::npos);
    // A problem of the rule is told once, for the line, not once per address.
    auto o = run("iptables -A INPUT -s 10.0.0.0/8,10.0.0.1 -j NOPE\n");
    auto first = o.diagnostics.find("[unknown-chain]");
    CHECK(first != std::string::npos);
    CHECK(o.diagnostics.find("[unknown-chain]", first + 1) == std::string::npos);
}

TEST_CASE("-c prints the rules of a list in the order the command adds them") {
    CHECK(rule("iptables -A INPUT -s 10.0.0.1,10.0.0.2 -j ACCEPT") ==
          "nft 'add rule ip filter INPUT ip saddr { 10.0.0.1, 10.0.0.2 } counter accept'");
    CHECK(rule("iptables -I INPUT 3 -s 10.0.0.0/8,10.0.0.1 -j LOG") ==
          "nft 'add rule ip filter INPUT index 1 ip saddr 10.0.0.0/8 counter log'\n"
          "nft 'add rule ip filter INPUT index 1 ip saddr 10.0.0.1 counter log'");
}
