// Unit tests of keep_payload_tests_apart: the tests nft would merge into another meaning are
// written apart, and those it merges rightly are left as they are.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

using ipt2nft::TranslateRequest;
using ipt2nft::test::run;
using ipt2nft::test::written_as;

namespace {
std::string rule_of(const std::string& spec) {
    auto o = run("*filter\n-A INPUT " + spec + "\nCOMMIT\n", false);
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    size_t at = o.script.find("\t\t", o.script.find("policy"));
    return o.script.substr(at + 2, o.script.find('\n', at) - at - 2);
}
}  // namespace

TEST_CASE("two != tests of neighbouring fields stay two") {
    CHECK(rule_of("-p tcp ! --sport 1 ! --dport 2") == "tcp sport != 1 tcp dport != 2-2");
    CHECK(rule_of("! -p tcp -m ttl ! --ttl-eq 64") == "ip protocol != tcp ip ttl != 64-64");
    // Equal or apart tests nft merges rightly, or not at all: as written.
    CHECK(rule_of("-p tcp --sport 1 --dport 2") == "tcp sport 1 tcp dport 2");
    CHECK(rule_of("-p tcp ! --sport 1 --dport 2") == "tcp sport != 1 tcp dport 2");
    CHECK(rule_of("! -s 1.2.3.4 ! -d 5.6.7.8") == "ip saddr != 1.2.3.4 ip daddr != 5.6.7.8");
}

TEST_CASE("a test after a counting condition is not moved before it") {
    // A lone test gathered before a rate is gathered on with the test after it, and merged.
    CHECK(rule_of("-p udp -m limit --limit 3/s -m ttl --ttl-eq 64") ==
          "ip protocol udp limit rate 3/second burst 5 packets ip ttl 64-64");
    CHECK(rule_of("-p udp -m quota --quota 100 -m ttl --ttl-eq 64") == "ip protocol udp quota 100 bytes ip ttl 64-64");
    CHECK(rule_of("-p udp -m statistic --mode nth --every 2 --packet 0 -m ttl --ttl-eq 64") ==
          "ip protocol udp numgen inc mod 2 0 ip ttl 64-64");
    // Two tests gathered before the rate are merged there and no longer gathered: no move.
    CHECK(rule_of("-s 1.2.3.4 -p udp -m limit --limit 3/s -m ttl --ttl-eq 64") ==
          "ip protocol udp ip saddr 1.2.3.4 limit rate 3/second burst 5 packets ip ttl 64");
    // Tests on the same side of it merge as nft merges them.
    CHECK(rule_of("-p udp -m ttl --ttl-eq 64 -m limit --limit 3/s") ==
          "ip protocol udp ip ttl 64 limit rate 3/second burst 5 packets");
}

TEST_CASE("the programs: a range where the merge would change the rule, one load where it does not") {
    std::string apart =
        written_as(TranslateRequest::Format::netlink, "*filter\n-A INPUT -p tcp ! --sport 1 ! --dport 2\nCOMMIT\n");
    CHECK(apart.find("[ cmp neq reg 1 0x00000100 ]") != std::string::npos);
    CHECK(apart.find("[ range neq reg 1 0x00000200 0x00000200 ]") != std::string::npos);
    std::string merged =
        written_as(TranslateRequest::Format::netlink, "*filter\n-A INPUT -p udp -m ttl --ttl-eq 64\nCOMMIT\n");
    CHECK(merged.find("[ payload load 2b @ network header + 8 => reg 1 ]") != std::string::npos);
    CHECK(merged.find("[ cmp eq reg 1 0x00001140 ]") != std::string::npos);
}
