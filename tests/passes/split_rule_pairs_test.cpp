// Unit tests of the pass that makes one IR rule one kernel rule.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

TEST_CASE("a conntrack match letting packets without a connection through is split in two rules") {
    std::string ir = ipt2nft::test::written_as(
        ipt2nft::TranslateRequest::Format::ir,
        "*filter\n[5:300] -A INPUT -s 10.0.0.1 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\nCOMMIT\n");
    // The first as written, with its saved counts; the second tests the states alone.
    CHECK(ir.find("    rule t.v4:2:1 counters 5:300\n"
                  "      match payload ip saddr eq 10.0.0.1/255.255.255.255\n"
                  "      match ct state no-flag { 4, 2 } [conntrack match]\n"
                  "      match ct status no-flag { 32 } [conntrack match]\n"
                  "      do drop\n"
                  "    rule t.v4:2:1 second-of-pair\n"
                  "      match ct state any-flag { 1, 64 }\n"
                  "      match payload ip saddr eq 10.0.0.1/255.255.255.255\n"
                  "      do drop\n") != std::string::npos);
}

TEST_CASE("a pair put at a chain's head keeps its order: the second is added after the first") {
    ipt2nft::TranslateRequest r;
    r.inputs.push_back({"t.sh", "iptables -I INPUT -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n"});
    r.script.noflush = true;
    auto o = ipt2nft::test::run(std::move(r));
    CHECK(o.script.find("insert rule ip filter INPUT ct state ! related,established ct status ! dnat counter drop\n"
                        "add rule ip filter INPUT index 0 ct state invalid,untracked counter drop\n") !=
          std::string::npos);
}

TEST_CASE("TPROXY is followed by its tests and a drop: what no transparent socket takes, xt_TPROXY drops") {
    std::string ir = ipt2nft::test::written_as(
        ipt2nft::TranslateRequest::Format::ir,
        "*mangle\n[7:400] -A PREROUTING -p tcp --dport 80 -j TPROXY --on-port 3128 --tproxy-mark 0x1/0x1\nCOMMIT\n");
    CHECK_MESSAGE(ir.find("    rule t.v4:2:1 counters 7:400\n"
                          "      match payload ip protocol eq 6 [protocol of its match]\n"
                          "      match payload tcp dport eq 80\n"
                          "      do tproxy to - port 3128\n") != std::string::npos,
                  ir);
    CHECK_MESSAGE(ir.find("      do accept\n"
                          "    rule t.v4:2:1 second-of-pair\n"
                          "      match payload ip protocol eq 6 [protocol of its match]\n"
                          "      match payload tcp dport eq 80\n"
                          "      do drop\n") != std::string::npos,
                  ir);
}
