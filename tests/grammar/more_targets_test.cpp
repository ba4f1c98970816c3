// Unit tests of the TTL, HL, ULOG, AUDIT, SYNPROXY, TEE and TPROXY targets, and of the modules nft cannot say: what nft
// is given, and what is refused.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

using ipt2nft::test::rule;

TEST_CASE("TTL and HL set the field in the mangle table; adding to it nft 1.0.6 cannot") {
    CHECK(rule("iptables -t mangle -A PREROUTING -j TTL --ttl-set 64").ends_with("counter ip ttl set 64'"));
    CHECK(rule("ip6tables -t mangle -A OUTPUT -j HL --hl-set 1").ends_with("counter ip6 hoplimit set 1'"));
    CHECK(rule("iptables -t mangle -A OUTPUT -j TTL --ttl-inc 1").find("[untranslatable]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j TTL --ttl-set 64").find("[target-not-allowed]") != std::string::npos);
    CHECK(rule("iptables -t mangle -A OUTPUT -j TTL --ttl-set 256").find("out of range") != std::string::npos);
    CHECK(rule("ip6tables -t mangle -A OUTPUT -j TTL --ttl-set 1").starts_with("ERROR "));
}

TEST_CASE("ULOG is written as NFLOG, with a warning; AUDIT as an audit log record") {
    auto o = ipt2nft::test::run(
        "*filter\n-A INPUT -j ULOG --ulog-nlgroup 2 --ulog-prefix x --ulog-cprange 100 "
        "--ulog-qthreshold 10\n-A INPUT -j ULOG\nCOMMIT\n");
    REQUIRE(o.ok);
    CHECK(o.script.find("log prefix \"x\" snaplen 100 queue-threshold 10 group 2") != std::string::npos);
    CHECK(o.script.find("counter log group 1") != std::string::npos);
    CHECK(o.diagnostics.find("[ulog-as-nflog]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j ULOG --ulog-nlgroup 33").find("out of range") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j AUDIT --type reject").ends_with("counter log level audit'"));
    CHECK(rule("iptables -A INPUT -j AUDIT --type maybe").find("unknown AUDIT type") != std::string::npos);
}

TEST_CASE("SYNPROXY: nft's synproxy with the options its SYN-ACK offers, in INPUT and FORWARD, for TCP") {
    CHECK(rule("iptables -A INPUT -p tcp --dport 80 -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460") ==
          "nft 'add rule ip filter INPUT tcp dport 80 counter synproxy sack-perm timestamp wscale 7 mss 1460'");
    CHECK(rule("ip6tables -A FORWARD -p tcp -j SYNPROXY").ends_with("counter synproxy'"));
    CHECK(rule("iptables -A INPUT -j SYNPROXY --mss 1460").find("[needs-protocol]") != std::string::npos);
    CHECK(rule("iptables -A OUTPUT -p tcp -j SYNPROXY").find("[target-not-allowed]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p tcp -j SYNPROXY --ecn").find("[untranslatable]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p tcp -j SYNPROXY --mss 65536").starts_with("ERROR "));
}

TEST_CASE("TEE: nft's dup to the gateway; --oif, which xt_TEE follows by name, refused") {
    CHECK(rule("iptables -t mangle -A PREROUTING -j TEE --gateway 192.168.0.2") ==
          "nft 'add rule ip mangle PREROUTING counter dup to 192.168.0.2'");
    CHECK(rule("ip6tables -t mangle -A PREROUTING -j TEE --gateway ab12:00a1:1112:acba::") ==
          "nft 'add rule ip6 mangle PREROUTING counter dup to ab12:a1:1112:acba::'");
    CHECK(rule("iptables -t mangle -A PREROUTING -j TEE --gateway 1.2.3.4 --oif eth0").find("[untranslatable]") !=
          std::string::npos);
    CHECK(rule("iptables -t mangle -A PREROUTING -j TEE").find("[missing-option]") != std::string::npos);
    CHECK(rule("iptables -t mangle -A PREROUTING -j TEE --gateway ::1").starts_with("ERROR "));
}

TEST_CASE("TPROXY: nft's tproxy, the mark, accept; and a second rule of its tests that drops") {
    CHECK(rule("iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 12345 --on-ip 10.0.0.1 --tproxy-mark "
               "0x23/0xff") ==
          "nft 'add rule ip mangle PREROUTING ip protocol tcp counter tproxy to 10.0.0.1:12345 meta mark set mark and "
          "0xffffff00 xor 0x23 accept'\n"
          "nft 'add rule ip mangle PREROUTING ip protocol tcp counter drop'");
    CHECK(rule("ip6tables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 12345 --on-ip dead::beef")
              .starts_with("nft 'add rule ip6 mangle PREROUTING meta l4proto tcp counter tproxy to [dead::beef]:12345 "
                           "accept'"));
    CHECK(rule("iptables -t mangle -A PREROUTING -p udp -j TPROXY --on-port 0 --on-ip 10.0.0.1")
              .starts_with("nft 'add rule ip mangle PREROUTING ip protocol udp counter tproxy to 10.0.0.1 accept'"));
    CHECK(rule("iptables -t mangle -A PREROUTING -j TPROXY --on-port 1").find("[needs-protocol]") != std::string::npos);
    CHECK(rule("iptables -t mangle -A INPUT -p tcp -j TPROXY --on-port 1").find("[target-not-allowed]") !=
          std::string::npos);
    CHECK(rule("iptables -t mangle -A PREROUTING -p tcp -m limit -j TPROXY --on-port 1").find("[untranslatable]") !=
          std::string::npos);
    CHECK(rule("iptables -t mangle -A PREROUTING -p tcp -j TPROXY").find("[missing-option]") != std::string::npos);
}

TEST_CASE("what nft cannot say is refused with the reason and what to do instead") {
    CHECK(rule("iptables -t mangle -A POSTROUTING -p udp --dport 68 -j CHECKSUM --checksum-fill")
              .find("nft has no statement that fills in a checksum") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m string --string x --algo bm -j DROP")
              .find("nft has no match on the content of a packet's payload") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j LED --led-trigger-id x").find("nft cannot light an LED") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m nfacct --nfacct-name x").find("accounting object made outside the ruleset") !=
          std::string::npos);
    CHECK(rule("iptables -A FORWARD -m physdev --physdev-in eth0").find("match the ports in an nft bridge table") !=
          std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 \"0>>22&0x3C@12=1\" -j DROP")
              .find("reads a word at an offset taken from the packet") != std::string::npos);
    CHECK(rule("iptables -t mangle -A INPUT -j CONNSECMARK --restore").find("refuses to compare one with a number") !=
          std::string::npos);
    // A module nft could say, not translated yet, says so, and what is nearest.
    CHECK(rule("iptables -t mangle -A INPUT -j SECMARK --selctx x").find("does not translate SECMARK yet") !=
          std::string::npos);
    CHECK(rule("ip6tables -A INPUT -m srh --srh-next-hdr 17").find("does not translate srh yet") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m connlabel --label 1")
              .find("the connlabel match has no nft translation in ipt2nft") != std::string::npos);
}
