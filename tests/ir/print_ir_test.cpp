// Unit tests of the IR's text form: kernel codes and numbers, the origin of each rule.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

namespace {

std::string ir_text(const std::string& text) {
    return ipt2nft::test::written_as(ipt2nft::TranslateRequest::Format::ir, text);
}

}  // namespace

TEST_CASE("the IR as text: selectors by the descriptor table, values and codes as numbers") {
    CHECK(ir_text("*filter\n:INPUT DROP [0:0]\n[4:240] -A INPUT -i eth+ -p tcp -m tcp --dport 22 -m conntrack "
                  "--ctstate NEW,ESTABLISHED -j REJECT --reject-with tcp-reset\nCOMMIT\n") ==
          "table ip filter\n"
          "  chain INPUT builtin policy drop\n"
          "    rule t.v4:3:1 counters 4:240\n"
          "      match meta iifname eq ifname \"eth\"+\n"
          "      match payload ip protocol eq 6 [protocol of its match]\n"
          "      match payload tcp dport eq 22\n"
          "      match ct state any-flag { 8, 2 }\n"
          "      do reject type 1 code 0\n");
}

TEST_CASE("the IR as text: statements with their fields") {
    std::string out = ir_text("*mangle\n-A PREROUTING -j MARK --set-xmark 0x1/0xff\n-A OUTPUT -j LOG --log-level 3 "
                              "--log-uid\nCOMMIT\n");
    CHECK(out.find("do set meta mark = meta mark & 0xffffff00 ^ 0x1\n") != std::string::npos);
    CHECK(out.find("do log prefix \"\" level 3 flags 0x8\n") != std::string::npos);
}
