// Unit tests of rule specifications: what each option means, seen in the IR (`--format=ir`); how
// nft writes it is the nft backend's tests'.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "../translate_helper.hpp"

using ipt2nft::test::rule;
using ipt2nft::test::rule_ir;

TEST_CASE("built-in matches in iptables-translate's order") {
    CHECK(rule_ir("iptables -A INPUT -p tcp -i eth0 --sport 53 -j ACCEPT") ==
          "rule\n"
          "match meta iifname eq ifname \"eth0\"\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp sport eq 53\n"
          "do accept");
    CHECK(rule_ir("iptables -A OUTPUT -p udp -d 8.8.8.8 -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 17\n"
          "match payload ip daddr eq 8.8.8.8/255.255.255.255\n"
          "do accept");
    CHECK(rule_ir("iptables -A INPUT -s 10.11.12.13/255.0.255.0") ==
          "rule\n"
          "match payload ip saddr eq 10.0.12.0/255.0.255.0");
    CHECK(rule_ir("iptables -A INPUT -f -p tcp") ==
          "rule\n"
          "match payload ip frag-off & 0x1fff masked-neq 0\n"
          "match payload ip protocol eq 6");
    CHECK(rule_ir("ip6tables -A FORWARD ! -p 132") ==
          "rule\n"
          "match meta l4proto neq 132");
    CHECK(rule_ir("iptables -A INPUT -s ! 10.0.0.1 -j DROP") ==
          "rule\n"
          "match payload ip saddr neq 10.0.0.1/255.255.255.255\n"
          "do drop");
}

TEST_CASE("full port ranges are kept: they still require a first fragment") {
    CHECK(rule_ir("iptables -A OUTPUT -p udp --sport 0:65535 -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 17 [protocol of its match]\n"
          "match payload udp sport eq 0-65535\n"
          "do accept");
}

TEST_CASE("conntrack: a packet without a connection meets --ctstate alone, as xt_conntrack tests it") {
    // Only such packets pass: the other options never count (seen: an untracked UDP packet matches).
    auto alone = ipt2nft::test::run("*filter\n-A OUTPUT -m conntrack --ctstate UNTRACKED --ctproto tcp\nCOMMIT\n");
    CHECK(alone.ok);
    CHECK(alone.script.find("\t\tct state untracked counter\n") != std::string::npos);
    CHECK(alone.diagnostics.find("[ignored-option]") != std::string::npos);
    // Others pass too: what nft would test besides fails on those without a connection, so they
    // get a second nft rule of their own.
    CHECK(rule_ir("iptables -A INPUT -m conntrack ! --ctstate NEW --ctdir ORIGINAL -j DROP") ==
          "rule\n"
          "match ct direction eq 0 [conntrack match]\n"
          "match ct state no-flag { 8 } [conntrack match]\n"
          "do drop\n"
          "rule second-of-pair\n"
          "match ct state any-flag { 1, 64 }\n"
          "do drop");
    CHECK(rule_ir("iptables -A INPUT -p udp -m conntrack --ctstate NEW,INVALID --ctexpire 5") ==
          "rule\n"
          "match payload ip protocol eq 17\n"
          "match ct state any-flag { 8, 1 } [conntrack match]\n"
          "match ct expiration eq 5000-5999 [conntrack match]\n"
          "rule second-of-pair\n"
          "match ct state any-flag { 1 }\n"
          "match payload ip protocol eq 17");
    // -p gives the connection's ports their protocol, in both rules (nft needs it first).
    CHECK(rule_ir("iptables -A INPUT -p tcp -m conntrack --ctstate UNTRACKED,NEW --ctorigsrcport 1024:65535") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "match ct state any-flag { 64, 8 } [conntrack match]\n"
          "match ct original proto-src eq 1024-65535 [conntrack match]\n"
          "rule second-of-pair\n"
          "match ct state any-flag { 64 }\n"
          "match payload ip protocol eq 6");
    // iptables takes the port alone; nft's syntax has no way to read it without a protocol.
    CHECK(rule("iptables -A INPUT -m conntrack --ctorigsrcport 1024").find("[untranslatable]") != std::string::npos);
    // A rate would be kept apart in the two.
    CHECK(rule("iptables -A INPUT -m limit --limit 1/s -m conntrack ! --ctstate NEW --ctdir REPLY")
              .find("[untranslatable]") != std::string::npos);
    // None passes: the usual translation.
    CHECK(rule_ir("iptables -A INPUT -m conntrack --ctstate NEW --ctproto tcp") ==
          "rule\n"
          "match ct original protocol eq 6\n"
          "match ct state any-flag { 8 }");
    CHECK(rule_ir("iptables -A INPUT -m conntrack ! --ctstate INVALID,UNTRACKED --ctdir REPLY") ==
          "rule\n"
          "match ct direction eq 1\n"
          "match ct state no-flag { 1, 64 }");
}

TEST_CASE("conntrack, marks, limit, multiport") {
    CHECK(rule_ir("ip6tables -A INPUT -m conntrack ! --ctstate NEW,RELATED -j ACCEPT") ==
          "rule\n"
          "match ct state no-flag { 8, 4 }\n"
          "do accept");
    CHECK(rule("iptables -A INPUT -m conntrack --ctstate NEW,DNAT").starts_with("ERROR"));
    // Negated, SNAT and DNAT let a packet without a connection through, which `ct status` fails on:
    // those get an nft rule of their own.
    CHECK(rule_ir("iptables -A INPUT -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP") ==
          "rule\n"
          "match ct state no-flag { 4, 2 } [conntrack match]\n"
          "match ct status no-flag { 32 } [conntrack match]\n"
          "do drop\n"
          "rule second-of-pair\n"
          "match ct state any-flag { 1, 64 }\n"
          "do drop");
    CHECK(rule_ir("iptables -A INPUT -m connmark ! --mark 10/10 -j ACCEPT") ==
          "rule\n"
          "match ct mark & 0xa masked-neq 10\n"
          "do accept");
    CHECK(rule_ir("iptables -A INPUT -m limit --limit 3/m --limit-burst 3") ==
          "rule\n"
          "match limit 3 per 60s burst 3");
    CHECK(rule_ir("iptables -A INPUT -p tcp -m multiport --dports 80,81 -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "match payload tcp dport eq { 80, 81 }\n"
          "do accept");
}

TEST_CASE("NAT to ports alone keeps the address, TCPMSS within iptables's bound") {
    CHECK(rule_ir("iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination :8080") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "do dnat port 8080-8080 flags 0x0");
    CHECK(rule_ir("iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source :1000-2000") ==
          "rule\n"
          "match payload ip protocol eq 17\n"
          "do snat port 1000-2000 flags 0x0");
    CHECK(rule("iptables -t nat -A PREROUTING -j DNAT --to-destination :8080").starts_with("ERROR"));
    CHECK(rule("iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 65516")
              .find("out of range") != std::string::npos);
}

TEST_CASE("NAT port ranges as libxt_NAT reads them: both ends, a name only as a whole bound, no shift in nft") {
    auto dnat = [](const std::string& to) {
        return rule_ir("iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:" + to);
    };
    CHECK(dnat("010-0x10") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "do dnat address 1.2.3.4 port 8-16 flags 0x0");
    CHECK(dnat("+80-0x1bb") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "do dnat address 1.2.3.4 port 80-443 flags 0x0");
    CHECK(dnat("http") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "do dnat address 1.2.3.4 port 80-80 flags 0x0");
    // iptables refuses each of these ("Port `' not valid", "Port `http-https' not valid", ...).
    for (const char* bad :
         {"1024-", "-5", "http-https", "80-https", "80:90", "80/100", "80-90x", "0x10-010", "80-90/0", "70000"})
        CHECK_MESSAGE(dnat(bad).find("[bad-port]") != std::string::npos, bad);
    // The kernel shifts such a range by the original port; nft's NAT has no such form.
    CHECK(dnat("80-90/100").find("[untranslatable]") != std::string::npos);
    CHECK(dnat("80-90/http").find("[untranslatable]") != std::string::npos);
    CHECK(rule("iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 80-90/100").find("[untranslatable]") !=
          std::string::npos);
    CHECK(rule("iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 80-90/100").find("[bad-port]") !=
          std::string::npos);
}

TEST_CASE(
    "what iptables refuses or reads its own way: -p after multiport, --every alone, one-address iprange, "
    "--suppl-groups first, every CT zone value") {
    // The refusals seen with iptables-nft 1.8.9, which reads the values of options it then ignores
    // too; --suppl-groups after --gid-owner is taken, but nft has no test for it.
    for (auto [command, said] : {
             std::pair{"iptables -A INPUT -m multiport --dports 80 -p tcp -j ACCEPT", "needs -p before it"},
             {"iptables -A INPUT -m statistic --mode nth --every 2 -j ACCEPT", "needs --packet"},
             {"iptables -A OUTPUT -m owner --suppl-groups --gid-owner 1 -j ACCEPT",
              "--suppl-groups needs --gid-owner before it [missing-option]"},
             {"iptables -A OUTPUT -m owner --gid-owner 1 --suppl-groups -j ACCEPT", "[untranslatable]"},
             {"iptables -t raw -A OUTPUT -j CT --zone-reply 5, --zone 6", "'5,' is not a valid conntrack zone"},
             {"iptables -t raw -A OUTPUT -j CT --notrack --zone 3,", "'3,' is not a valid conntrack zone"},
             {"iptables -A FORWARD -j NFLOG --nflog-range 5/", "'5/' is not a valid NFLOG range"},
             {"iptables -t mangle -A FORWARD -p tcp --syn -j TCPMSS --set-mss 70000 --clamp-mss-to-pmtu",
              "MSS 70000 is out of range"},
             {"iptables -A INPUT -m conntrack --ctstate UNTRACKED --ctstatus FOO", "unknown connection status 'FOO'"},
         })
        CHECK(rule(command).find(said) != std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -m iprange --src-range 10.0.0.1 -j ACCEPT") ==
          "rule\n"
          "match payload ip saddr eq 10.0.0.1/255.255.255.255\n"
          "do accept");
    CHECK(rule_ir("iptables -t raw -A OUTPUT -j CT --zone-reply 5 --zone 6") ==
          "rule\n"
          "do set ct reply zone = 0x6");
    // A DSCP class by its first characters, in any case (seen: AF41x is AF41, AF4 refused).
    CHECK(rule_ir("iptables -t mangle -A OUTPUT -j DSCP --set-dscp-class ef") ==
          "rule\n"
          "do set payload ip dscp = 0x2e");
    auto lenient = ipt2nft::test::run(
        "*mangle\n-A OUTPUT -j DSCP --set-dscp-class AF41x\n-A OUTPUT -j CLASSIFY --set-class 1:2.\nCOMMIT\n");
    CHECK(lenient.diagnostics.find("iptables reads 'AF41x' as class AF41") != std::string::npos);
    CHECK(lenient.script.find("ip dscp set 0x22") != std::string::npos);
    CHECK(lenient.diagnostics.find("iptables reads '1:2.' as class 1:2") != std::string::npos);
    CHECK(lenient.script.find("meta priority set 1:2") != std::string::npos);
    CHECK(rule("iptables -t mangle -A OUTPUT -j DSCP --set-dscp-class AF4").find("unknown DSCP class") !=
          std::string::npos);
}

TEST_CASE("icmp type any: every type, its range in numbers") {
    CHECK(rule_ir("iptables -A INPUT -p icmp --icmp-type any -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 1 [protocol of its match]\n"
          "match payload icmp type eq 0-255\n"
          "do accept");
}

TEST_CASE("multiport --ports: pairs of source and destination the kernel takes") {
    CHECK(rule_ir("iptables -A INPUT -p tcp -m multiport --ports 81,80:90,22 -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "match payload tcp sport . payload tcp dport eq { 0-65535 . 22, 0-65535 . 80-90, 22 . 0-65535, 80-90 . "
          "0-65535 }\n"
          "do accept");
    // Reaching port 0 or 65535, the pairs must not overlap (else "File exists" from the kernel).
    CHECK(rule_ir("iptables -A INPUT -p udp -m multiport --ports 1:65535 -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 17\n"
          "match payload udp sport . payload udp dport eq { 1-65535 . 0-65535, 0 . 1-65535 }\n"
          "do accept");
    CHECK(rule_ir("iptables -A INPUT -p tcp -m multiport ! --ports 0,22 -j DROP") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "match payload tcp sport . payload tcp dport neq { 0 . 0-65535, 22 . 0-65535, 1-21 . 0, 1-21 . 22, 23-65535 "
          ". 0, 23-65535 . 22 }\n"
          "do drop");
}

TEST_CASE("targets") {
    CHECK(rule_ir("iptables -t mangle -A OUTPUT -j MARK --set-xmark 0x40/0x32") ==
          "rule\n"
          "do set meta mark = meta mark & 0xffffffcd ^ 0x40");
    // xt_CONNMARK clears the mask's bits, then xors: the value's bits inside the mask survive.
    CHECK(rule_ir("iptables -t mangle -A PREROUTING -j CONNMARK --set-xmark 0x10/0xf0") ==
          "rule\n"
          "do set ct mark = ct mark & 0xffffff0f ^ 0x10");
    CHECK(rule_ir("iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 0x23/0x42 --right-shift-mark 5") ==
          "rule\n"
          "do set ct mark = ct mark & 0xffffff9c ^ 0x23 >> 5");
    CHECK(rule_ir("iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --nfmask 0xff --left-shift-mark 8") ==
          "rule\n"
          "do set ct mark = meta mark & 0xff << 8");
    // TOS writes the whole byte: DSCP and ECN, each only as a constant (nft 1.0.6 cannot
    // compute a dscp from the old one).
    CHECK(rule_ir("ip6tables -t mangle -A OUTPUT -j TOS --set-tos 0x1f") ==
          "rule\n"
          "do set payload ip6 dscp = 0x7\n"
          "do set payload ip6 ecn = 0x3");
    CHECK(rule("iptables -t mangle -A OUTPUT -j TOS --set-tos Minimize-Delay").find("[untranslatable]") !=
          std::string::npos);
    CHECK(rule_ir("iptables -t mangle -A OUTPUT -j TOS --set-tos 0x08/0xfc") ==
          "rule\n"
          "do set payload ip dscp = 0x2");
    CHECK(rule_ir("iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 10-20 --random") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "do masquerade port 10-20 flags 0x4");
    CHECK(rule_ir("ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination [fec0::1234]:80") ==
          "rule\n"
          "match meta l4proto eq 6\n"
          "do dnat address fec0::1234 port 80-80 flags 0x0");
    CHECK(rule_ir("ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination [fec0::1234-fec0::2000]:1-20") ==
          "rule\n"
          "match meta l4proto eq 6\n"
          "do dnat address fec0::1234-fec0::2000 port 1-20 flags 0x0");
    CHECK(rule_ir("iptables -A FORWARD -p TCP --dport 22 -j REJECT --reject-with icmp-net-unreachable") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp dport eq 22\n"
          "do reject type 0 code 0");
}

TEST_CASE("bad input gets a located error with a code") {
    CHECK(rule("iptables -A INPUT -p udp --dport 70000 -j ACCEPT").find("[bad-port]") != std::string::npos);
    CHECK(rule("iptables -A INPUT --dport 22 -j ACCEPT").find("[needs-protocol]") != std::string::npos);
    // After '! -p tcp' iptables still loads the tcp match for --dport; the kernel refuses the rule.
    CHECK(rule("iptables -A INPUT ! -p tcp --dport 22 -j ACCEPT")
              .find("the tcp match needs '-p tcp' before it, not negated [needs-protocol]") != std::string::npos);
    CHECK(rule("ip6tables -A INPUT ! -p icmpv6 --icmpv6-type 1 -j ACCEPT")
              .find("the icmp6 match needs '-p icmpv6' before it, not negated [needs-protocol]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p tcp --dprot 22").find("did you mean --dport?") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j ''").find("-j needs a target or chain name") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m conntrak --ctstate NEW").find("did you mean 'conntrack'?") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m string --algo bm --string x -j DROP").find("[untranslatable]") !=
          std::string::npos);
    // An untranslated module's options load no protocol match (iptables loads none for them): after
    // '! -p tcp' they are untranslatable alone, with no word of a tcp match the rule does not have.
    for (const char* negated : {"iptables -A INPUT ! -p tcp -m string --algo bm --string x",
                                "iptables -A INPUT ! -p icmp -m cluster --cluster-total-nodes 2 -j DROP",
                                "iptables -t mangle -A POSTROUTING ! -p udp -j CHECKSUM --checksum-fill"}) {
        std::string said = rule(negated);
        CHECK_MESSAGE(said.find("[untranslatable]") != std::string::npos, said);
        CHECK_MESSAGE(said.find("[needs-protocol]") == std::string::npos, said);
    }
    // The protocol's match still takes its own options beside an untranslated module's.
    CHECK(rule("iptables -A INPUT -p tcp -m string --algo bm --string x --dport 22")
              .find("cannot translate string --algo bm --string x:") != std::string::npos);
    // A protocol's own match we do not translate takes its options: untranslatable, not unknown.
    CHECK(rule("iptables -A INPUT -p udplite --dport 5 -j ACCEPT").find("cannot translate udplite --dport 5") !=
          std::string::npos);
    // One we translate, loaded by -p alone.
    CHECK(rule("ip6tables -A INPUT -p mh --mh-type 1 -j ACCEPT") ==
          "nft 'add rule ip6 filter INPUT mh type 1 counter accept'");
    CHECK(rule_ir("iptables -A INPUT -s 10.0.0.1,10.0.0.2 ! -d 1.2.3.4 -j DROP") ==
          "rule\n"
          "match payload ip saddr eq { 10.0.0.1/255.255.255.255, 10.0.0.2/255.255.255.255 }\n"
          "match payload ip daddr neq 1.2.3.4/255.255.255.255\n"
          "do drop");
    CHECK(rule("iptables -A INPUT ! -s 10.0.0.1,10.0.0.2").find("[bad-negation]") != std::string::npos);
}

TEST_CASE("options iptables takes once, needs, or refuses together") {
    auto code = [](const std::string& command, const char* c) {
        return rule(command).find(std::string("[") + c + "]") != std::string::npos;
    };
    // Each option of a module once ("can only be used once"), aliases included.
    CHECK(code("iptables -A INPUT -p tcp --dport 22 --dport 23 -j ACCEPT", "duplicate-option"));
    CHECK(code("iptables -A INPUT -p tcp --sport 1 --source-port 2", "duplicate-option"));
    CHECK(code("iptables -A INPUT -m comment --comment a --comment b", "duplicate-option"));
    // A module loaded twice is two matches, each with its own options.
    CHECK(rule_ir("iptables -A INPUT -p tcp -m tcp --dport 1 -m tcp --dport 2") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp dport eq 1\n"
          "match payload tcp dport eq 2");
    // A module with nothing to test is refused, not turned into a rule that matches everything.
    CHECK(code("iptables -A INPUT -m conntrack -j ACCEPT", "missing-option"));
    CHECK(code("iptables -A INPUT -m mark -j ACCEPT", "missing-option"));
    CHECK(code("iptables -A INPUT -p tcp -m multiport -j ACCEPT", "missing-option"));
    CHECK(code("ip6tables -A INPUT -p icmpv6 -m icmp6 -j ACCEPT", "missing-option"));
    CHECK(rule_ir("iptables -A INPUT -m limit -j ACCEPT") ==
          "rule\n"
          "match limit 3 per 3600s burst 5\n"
          "do accept");
    CHECK(code("iptables -A INPUT -p tcp -m multiport --sports 1 --dports 2", "conflicting-options"));
    CHECK(code("iptables -A INPUT -m statistic --mode random --probability 0.5 --every 2", "conflicting-options"));
    CHECK(code("iptables -t mangle -A OUTPUT -j DSCP --set-dscp 1 --set-dscp-class ef", "conflicting-options"));
    CHECK(code("iptables -A INPUT -j NFQUEUE --queue-cpu-fanout", "missing-option"));
    // Seen: the kernel refuses 65536 queues (RULE_APPEND failed, Invalid argument); 65535 it takes.
    CHECK(code("iptables -A INPUT -j NFQUEUE --queue-balance 0:65535", "bad-value"));
    CHECK(!code("iptables -A INPUT -j NFQUEUE --queue-balance 1:65535", "bad-value"));
    // iptables 1.8's DNAT has no --random-fully.
    CHECK(code("iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4 --random-fully", "unknown-option"));
}

TEST_CASE("options iptables takes but the kernel overrides or ignores: translated as the kernel acts, with a warning") {
    auto run_rule = [](const std::string& table, const std::string& chain, const std::string& spec) {
        return ipt2nft::test::run("*" + table + "\n:" + chain + " ACCEPT [0:0]\n-A " + chain + " " + spec +
                                  "\nCOMMIT\n");
    };
    auto mss =
        run_rule("mangle", "FORWARD", "-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1000 --clamp-mss-to-pmtu");
    CHECK(mss.ok);
    CHECK(mss.script.find("tcp option maxseg size set rt mtu") != std::string::npos);
    CHECK(mss.diagnostics.find("[ignored-option]") != std::string::npos);
    auto mss_set =
        run_rule("mangle", "FORWARD", "-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu --set-mss 1000");
    CHECK(mss_set.script.find("tcp option maxseg size set 1000") != std::string::npos);
    auto ct = run_rule("raw", "PREROUTING", "-j CT --notrack --zone 1");
    CHECK(ct.ok);
    CHECK(ct.script.find("counter notrack\n") != std::string::npos);
    CHECK(ct.diagnostics.find("[ignored-option]") != std::string::npos);
    auto nflog = run_rule("filter", "INPUT", "-j NFLOG --nflog-range 64");
    CHECK(nflog.ok);
    CHECK(nflog.script.find("snaplen") == std::string::npos);
    CHECK(nflog.diagnostics.find("[ignored-option]") != std::string::npos);
}

TEST_CASE("values as iptables 1.8 reads them") {
    // xt_conntrack tests (status & mask) != 0: NONE adds no bit; negated alone it holds for every
    // tracked packet, also one whose status is still 0 (`ct status != 0` would not).
    CHECK(rule_ir("iptables -A INPUT -m conntrack ! --ctstatus NONE") ==
          "rule\n"
          "match ct status no-flag 0");
    CHECK(rule_ir("iptables -A INPUT -m conntrack --ctstatus NONE,ASSURED") ==
          "rule\n"
          "match ct status any-flag { 4 }");
    CHECK(rule("iptables -t nat -A POSTROUTING -j SNAT --to-source 10.0.0.9-10.0.0.1").find("[bad-address]") !=
          std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -j LOG --log-level error") ==
          "rule\n"
          "do log prefix \"\" level 3 flags 0x0");
    CHECK(rule("iptables -A INPUT -j LOG --log-level warn").find("unknown log level") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j LOG --log-prefix ''").find("[bad-value]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j NFLOG --nflog-prefix ''").find("[bad-value]") != std::string::npos);
    CHECK(rule("iptables -A OUTPUT -m owner --uid-owner 4294967295").starts_with("ERROR"));
    CHECK(rule_ir("iptables -A OUTPUT -m owner --uid-owner 4294967294") ==
          "rule\n"
          "match meta skuid eq 4294967294");
    // Ranges in numbers with '-' or ':'; a name only alone (seen: root-5 refused).
    CHECK(rule_ir("iptables -A OUTPUT -m owner --gid-owner 0x1:2") ==
          "rule\n"
          "match meta skgid eq 1-2");
    CHECK(rule_ir("iptables -A OUTPUT -m owner --uid-owner root") ==
          "rule\n"
          "match meta skuid eq 0");
    CHECK(rule("iptables -A OUTPUT -m owner --uid-owner root-5").find("[bad-value]") != std::string::npos);
}

TEST_CASE("owner with every test negated also matches packets without a socket: untranslatable") {
    CHECK(rule("iptables -A OUTPUT -m owner ! --uid-owner 1000").find("[untranslatable]") != std::string::npos);
    CHECK(rule("iptables -A OUTPUT -m owner ! --uid-owner 1 ! --gid-owner 2").find("[untranslatable]") !=
          std::string::npos);
    // One test not negated: a packet without a socket fails it in both.
    CHECK(rule_ir("iptables -A OUTPUT -m owner ! --uid-owner 1 --gid-owner 2") ==
          "rule\n"
          "match meta skuid neq 1\n"
          "match meta skgid eq 2");
}

TEST_CASE("TCP flags by iptables's names: ALL is the six classic flags, ECE and CWR are unknown") {
    // An ECN-setup SYN carries ECE and CWR: `--tcp-flags ALL SYN` matches it in iptables.
    CHECK(rule_ir("iptables -A INPUT -p tcp --tcp-flags ALL SYN") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp flags & 0x3f masked-eq 2");
    CHECK(rule_ir("iptables -A INPUT -p tcp --tcp-flags all fin") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp flags & 0x3f masked-eq 1");
    CHECK(rule("iptables -A INPUT -p tcp --tcp-flags SYN,ECE SYN").find("[bad-tcp-flag]") != std::string::npos);
    // Empty items count for nothing (strtok; seen: `SYN,ACK, SYN` is `SYN,ACK SYN`).
    CHECK(rule_ir("iptables -A INPUT -p tcp --tcp-flags ,SYN,ACK, SYN") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp flags & 0x12 masked-eq 2");
}

TEST_CASE("matches of one family: icmp and ttl are iptables's, icmp6 and hl ip6tables's") {
    CHECK(rule("ip6tables -A INPUT -m ttl --ttl-gt 5").find("[wrong-family]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m hl --hl-eq 5").find("[wrong-family]") != std::string::npos);
    // -p loads no protocol match of the other family: its option is unknown, as in ip6tables.
    CHECK(rule("ip6tables -A INPUT -p icmp --icmp-type 8").find("[unknown-option]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p icmpv6 --icmpv6-type 1").find("[unknown-option]") != std::string::npos);
    CHECK(rule_ir("ip6tables -A INPUT -m hl --hl-eq 255") ==
          "rule\n"
          "match payload ip6 hoplimit eq 255");
}

TEST_CASE(
    "port names as iptables 1.8 looks them up: udp and conntrack for any protocol, tcp and multiport for theirs") {
    // /etc/services names ssh for tcp alone and tftp for udp alone (netbase).
    CHECK(rule_ir("iptables -A INPUT -p udp --dport ssh") ==
          "rule\n"
          "match payload ip protocol eq 17 [protocol of its match]\n"
          "match payload udp dport eq 22");
    CHECK(rule("iptables -A INPUT -p tcp --dport tftp").find("[bad-port]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p udp -m multiport --dports ssh").find("[bad-port]") != std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -m conntrack --ctproto tcp --ctorigdstport tftp") ==
          "rule\n"
          "match ct original protocol eq 6\n"
          "match ct original proto-dst eq 69");
}

TEST_CASE("addrtype: the kernel refuses IPv6 types it cannot see") {
    CHECK(rule("ip6tables -A INPUT -m addrtype --dst-type BROADCAST").find("[bad-value]") != std::string::npos);
    CHECK(rule("ip6tables -A INPUT -m addrtype --src-type LOCAL,PROHIBIT").find("[bad-value]") != std::string::npos);
    CHECK(rule_ir("ip6tables -A INPUT -m addrtype --dst-type MULTICAST") ==
          "rule\n"
          "match fib daddr type eq 5");
    CHECK(rule_ir("iptables -A INPUT -m addrtype --dst-type BROADCAST") ==
          "rule\n"
          "match fib daddr type eq 3");
    // nft 1.0.6 names no type after prohibit: THROW, NAT and XRESOLVE are RTN_ numbers 9 to 11.
    CHECK(rule_ir("iptables -A INPUT -m addrtype --src-type prohibit,THROW,NAT,XRESOLVE") ==
          "rule\n"
          "match fib saddr type eq { 8, 9, 10, 11 }");
    // The first type, in the kernel's order, that the word begins (seen: U is UNSPEC, LOC LOCAL).
    CHECK(rule_ir("iptables -A INPUT -m addrtype --src-type U,loc,b") ==
          "rule\n"
          "match fib saddr type eq { 0, 2, 3 }");
    CHECK(rule("iptables -A INPUT -m addrtype --src-type LOCAL,").find("[bad-value]") != std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -m addrtype --src-type LOCAL,loc") ==
          "rule\n"
          "match fib saddr type eq 2");
}

TEST_CASE("a negated 0/0 is kept, with a warning that the rule never applies") {
    auto o = ipt2nft::test::run("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ! -s 0/0 -j ACCEPT\nCOMMIT\n");
    CHECK(o.ok);
    CHECK(o.script.find("ip saddr != 0.0.0.0/0 counter accept") != std::string::npos);
    CHECK(o.diagnostics.find("[never-matches]") != std::string::npos);
}

TEST_CASE("more values as iptables 1.8 reads them: REJECT names, limit rates, queues, expiry, TCP options") {
    // REJECT takes the first name or alias, in its own order, that begins with the word, in any case.
    CHECK(rule_ir("iptables -A INPUT -j REJECT --reject-with h") ==
          "rule\n"
          "do reject type 0 code 1");
    CHECK(rule_ir("iptables -A INPUT -j REJECT --reject-with ICMP-ADMIN") ==
          "rule\n"
          "do reject type 0 code 13");
    CHECK(rule("ip6tables -A INPUT -p tcp -j REJECT --reject-with tcp-rst").find("[bad-value]") != std::string::npos);
    // limit: a decimal count (0x10 is atoi's 0), the unit as any prefix in any case.
    CHECK(rule_ir("iptables -A INPUT -m limit --limit 5/M") ==
          "rule\n"
          "match limit 5 per 60s burst 5");
    CHECK(rule("iptables -A INPUT -m limit --limit 0x10/s").find("[bad-rate]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m limit --limit 600001/minute").find("too fast") != std::string::npos);
    // The rate iptables-nft gives the kernel: that of iptables's whole interval (1/10000 s),
    // in the largest unit that says it well (seen: 255/sec is 256/second, 60/min 1/second).
    CHECK(rule_ir("iptables -A INPUT -m limit --limit 255/sec") ==
          "rule\n"
          "match limit 256 per 1s burst 5");
    CHECK(rule_ir("iptables -A INPUT -m limit --limit 60/min") ==
          "rule\n"
          "match limit 1 per 1s burst 5");
    CHECK(rule_ir("iptables -A INPUT -m limit --limit 61/min") ==
          "rule\n"
          "match limit 61 per 60s burst 5");
    CHECK(rule("iptables -A INPUT -j NFQUEUE --queue-balance 2:2").find("[bad-value]") != std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -j NFLOG --nflog-threshold 0") ==
          "rule\n"
          "do nflog group 0 prefix \"\" snaplen 0 threshold 0");
    CHECK(rule("iptables -A INPUT -p tcp --tcp-option 0").find("[out-of-range]") != std::string::npos);
    // xt_conntrack's expiry is whole seconds left, nft's milliseconds in 32 bits (seen: a connection
    // with 28.5 s left is --ctexpire 28).
    CHECK(rule_ir("iptables -A INPUT -m conntrack --ctexpire 10:4294967295") ==
          "rule\n"
          "match ct expiration eq 10000-4294967295");
    CHECK(rule_ir("iptables -A INPUT -m conntrack --ctexpire 0") ==
          "rule\n"
          "match ct expiration eq 0-999");
    CHECK(rule_ir("iptables -A INPUT -m conntrack ! --ctexpire 28") ==
          "rule\n"
          "match ct expiration neq 28000-28999");
    CHECK(rule("iptables -A INPUT -m conntrack --ctexpire 4294967295").find("[untranslatable]") != std::string::npos);
}

TEST_CASE("numbers and names in each option's own reading, as iptables 1.8 has them") {
    // udp and conntrack ports are decimal (getaddrinfo): 010 is 10; tcp's are strtoul base 0.
    CHECK(rule_ir("iptables -A INPUT -p udp --dport 010") ==
          "rule\n"
          "match payload ip protocol eq 17 [protocol of its match]\n"
          "match payload udp dport eq 10");
    CHECK(rule("iptables -A INPUT -p udp --dport 0x10").find("[bad-port]") != std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -p tcp --dport 010") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp dport eq 8");
    // Both take a '+' first (seen).
    CHECK(rule_ir("iptables -A INPUT -p tcp --dport +0x10") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp dport eq 16");
    CHECK(rule_ir("iptables -A INPUT -p udp --dport +010") ==
          "rule\n"
          "match payload ip protocol eq 17 [protocol of its match]\n"
          "match payload udp dport eq 10");
    CHECK(rule("iptables -A INPUT -p udp --dport ++5").find("[bad-port]") != std::string::npos);
    // Prefix lengths are strtoul base 0: /010 is /8.
    CHECK(rule_ir("iptables -A INPUT -s 10.0.0.0/010") ==
          "rule\n"
          "match payload ip saddr eq 10.0.0.0/255.0.0.0");
    CHECK(rule_ir("iptables -A INPUT -s 10.0.0.0/0x10") ==
          "rule\n"
          "match payload ip saddr eq 10.0.0.0/255.255.0.0");
    CHECK(rule("iptables -A INPUT -s 10.0.0.0/08").find("[bad-prefix]") != std::string::npos);
    // ICMP names: any unambiguous beginning, in any case.
    CHECK(rule_ir("iptables -A INPUT -p icmp --icmp-type ECHO-REQ") ==
          "rule\n"
          "match payload ip protocol eq 1 [protocol of its match]\n"
          "match payload icmp type eq 8");
    CHECK(rule("iptables -A INPUT -p icmp --icmp-type echo").find("ambiguous") != std::string::npos);
    CHECK(rule("ip6tables -A INPUT -p icmpv6 --icmpv6-type neighbou").find("ambiguous") != std::string::npos);
    // States and statuses: the first, in iptables's order, that the word begins (seen: N is NEW).
    CHECK(rule_ir("iptables -A INPUT -m state --state n,E,rel") ==
          "rule\n"
          "match ct state any-flag { 8, 2, 4 }");
    CHECK(rule_ir("iptables -A INPUT -m conntrack --ctstatus ass") ==
          "rule\n"
          "match ct status any-flag { 4 }");
    CHECK(rule("iptables -A INPUT -m conntrack --ctdir O").find("[bad-value]") != std::string::npos);
}

TEST_CASE("numbers iptables reads as octal are translated as it reads them, with a warning (seen with iptables-nft)") {
    using ipt2nft::test::run;
    auto o =
        run("iptables -A INPUT -s 192.168.010.1 -p tcp --dport 010 -m mark --mark 0x10/0777 -j ACCEPT\n"
            "iptables -I INPUT 01 -p icmp --icmp-type 010 -m length --length 0100:0200 -j ACCEPT\n"
            "iptables -A INPUT -p udp --dport 010 -c 010 020 -j ACCEPT\n");
    REQUIRE(o.ok);
    ipt2nft::test::check_holds_all(o.script, {"icmp type echo-request meta length 64-128 counter accept",
                                              "ip saddr 192.168.8.1 tcp dport 8 mark and 0x1ff == 0x10 counter accept",
                                              "udp dport 10 counter packets 10 bytes 20 accept"});
    ipt2nft::test::check_holds_all(
        o.diagnostics,
        {"t.v4:1:22: warning: iptables reads '010' as an octal number, 8", "t.v4:1:51: warning: iptables reads '010'",
         "t.v4:1:75: warning: iptables reads '0777' as an octal number, 511",
         "t.v4:2:42: warning: iptables reads '010'", "t.v4:2:65: warning: iptables reads '0100' as an octal number, 64",
         "t.v4:2:65: warning: iptables reads '0200' as an octal number, 128"});
    // The rule number 01 is 1 either way; udp ports and -c counts are read in decimal.
    CHECK(o.diagnostics.find("t.v4:2:19") == std::string::npos);
    CHECK(o.diagnostics.find("t.v4:3:") == std::string::npos);
    CHECK(run("iptables -I INPUT 010 -j ACCEPT\n").diagnostics.find("t.v4:1:19: warning: iptables reads '010'") !=
          std::string::npos);
    CHECK(run("iptables -A INPUT -c 0x10 5 -j ACCEPT\n").diagnostics.find("'0x10' is not a valid packet count") !=
          std::string::npos);
}

TEST_CASE("multiport ranges have both ends and go up") {
    CHECK(rule("iptables -A INPUT -p tcp -m multiport --dports 22:").find("[bad-port]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p tcp -m multiport --dports :22").find("[bad-port]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p tcp -m multiport --dports 22:22").find("[bad-port]") != std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -p tcp -m multiport --dports 22:23") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "match payload tcp dport eq 22-23");
}

TEST_CASE("'--' ends the options, as getopt has it: nothing may follow") {
    CHECK(rule_ir("iptables -A INPUT -j ACCEPT --") ==
          "rule\n"
          "do accept");
    CHECK(rule("iptables -A INPUT -- -j ACCEPT").find("[unexpected-argument]") != std::string::npos);
    CHECK(rule("iptables -A INPUT ! --").find("[bad-negation]") != std::string::npos);
}

TEST_CASE("a value attached to -p, -s, -d, -i, -o or -j is refused: iptables reads the whole word as the value") {
    // iptables 1.8 would match an interface named "-ieth0", and refuses -ptcp or --source=1.2.3.4.
    CHECK(rule("iptables -A FORWARD -ieth0").find("[attached-value]") != std::string::npos);
    CHECK(rule("iptables -A FORWARD --protocol=tcp").find("[attached-value]") != std::string::npos);
    CHECK(rule("iptables -A FORWARD -jACCEPT").find("[attached-value]") != std::string::npos);
    // Extension options and -g take it.
    CHECK(rule_ir("iptables -A FORWARD -p tcp --dport=22") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp dport eq 22");
    CHECK(rule_ir("iptables -A FORWARD --goto=X") ==
          "rule\n"
          "do goto X");
}

TEST_CASE("CT --helper: the kernel's helpers for their protocols, else an error before nft refuses the script") {
    CHECK(rule("iptables -t raw -A PREROUTING -p udp -j CT --helper ftp").find("[unknown-helper]") !=
          std::string::npos);
    CHECK(rule("iptables -t raw -A PREROUTING -p tcp -j CT --helper FTP").find("[unknown-helper]") !=
          std::string::npos);
}

TEST_CASE("TOS names in any case, alone, anything else that is not a number is an unknown name") {
    CHECK(rule("iptables -t mangle -A OUTPUT -j TOS --set-tos minimize-cost").find("[untranslatable]") !=
          std::string::npos);  // 0x02/0x3f: part of the DSCP bits kept
    CHECK(rule("iptables -t mangle -A OUTPUT -j TOS --set-tos Minimize-Cost/0xff").find("unknown TOS name") !=
          std::string::npos);
    CHECK(rule_ir("iptables -t mangle -A OUTPUT -j TOS --set-tos 0x02") ==
          "rule\n"
          "do set payload ip dscp = 0x0\n"
          "do set payload ip ecn = 0x2");
}

TEST_CASE("CT zones per direction: the last value counts, the directions add up, a zone from the mark is refused") {
    auto zone = [](const std::string& options) { return rule_ir("iptables -t raw -A PREROUTING -j CT " + options); };
    CHECK(zone("--zone-orig 5") ==
          "rule\n"
          "do set ct original zone = 0x5");
    CHECK(zone("--zone-reply 6") ==
          "rule\n"
          "do set ct reply zone = 0x6");
    CHECK(zone("--zone-orig 5 --zone-reply 6") ==
          "rule\n"
          "do set ct zone = 0x6");
    CHECK(zone("--zone 5 --zone-orig 6") ==
          "rule\n"
          "do set ct original zone = 0x6");
    CHECK(zone("--zone-reply Mark").find("[untranslatable]") != std::string::npos);
    CHECK(zone("--zone-orig 65536").find("[out-of-range]") != std::string::npos);
}

TEST_CASE("ip6tables NAT to ports alone: ':8080' is ports, '::1' an address") {
    CHECK(rule_ir("ip6tables -t nat -A OUTPUT -p tcp -j DNAT --to-destination :80-90") ==
          "rule\n"
          "match meta l4proto eq 6\n"
          "do dnat port 80-90 flags 0x0");
    CHECK(rule_ir("ip6tables -t nat -A OUTPUT -p tcp -j DNAT --to-destination ::1") ==
          "rule\n"
          "match meta l4proto eq 6\n"
          "do dnat address ::1 flags 0x0");
    // A ':' after the brackets needs its port (seen: "Port `' not valid").
    CHECK(rule("ip6tables -t nat -A OUTPUT -p tcp -j DNAT --to-destination [::1]:").find("[bad-port]") !=
          std::string::npos);
}

TEST_CASE("address lists making more than 100000 kernel rules are refused, not built") {
    auto addresses = [](int count, int second_octet) {
        std::string list;
        for (int i = 0; i < count; ++i)
            list += (i ? "," : "") + fmt::format("10.{}.{}.{}", second_octet, i / 250, i % 250);
        return list;
    };
    std::string too_many = rule("iptables -A INPUT -s " + addresses(11, 1) + " -d " + addresses(9091, 2) + " -j LOG");
    CHECK(too_many.find("11 source and 9091 destination addresses make 100001 kernel rules") != std::string::npos);
    CHECK(too_many.find("[too-many-rules]") != std::string::npos);
    CHECK(
        rule("iptables -A INPUT -s " + addresses(10, 1) + " -d " + addresses(10000, 2) + " -j LOG").rfind("nft ", 0) ==
        0);
}

TEST_CASE("the kernel rules one input makes are bounded: a command past the bound is refused, not built") {
    auto bounded = [](const std::string& name, const std::string& text) {
        ipt2nft::TranslateRequest r;
        r.inputs.push_back({name, text});
        r.most_kernel_rules = 5;
        return ipt2nft::test::run(std::move(r));
    };
    // Four rules from one address list, then one more: the bound. Rules deleted still count.
    std::string four = "iptables -A INPUT -s 1.1.1.1,2.2.2.2 -d 3.3.3.3,4.4.4.4 -j ACCEPT\niptables -D INPUT 1\n";
    CHECK(bounded("t.sh", four + "iptables -A INPUT -j DROP\n").ok);
    auto past = bounded("t.sh", four + "iptables -A INPUT -j DROP\niptables -A INPUT -s 5.5.5.5,6.6.6.6 -j LOG\n");
    CHECK_FALSE(past.ok);
    CHECK(
        past.diagnostics.starts_with("t.sh:4:1: error: this command would make 2 kernel rules after 5 made before "
                                     "it: ipt2nft builds at most 5 from one input"));
    CHECK(past.diagnostics.find("[too-many-rules]") != std::string::npos);
    // A save file's rules count alike, whichever table they go to.
    auto saved = bounded("t.v4",
                         "*filter\n-A INPUT -s 1.1.1.1,2.2.2.2,3.3.3.3 -j ACCEPT\nCOMMIT\n*nat\n"
                         "-A POSTROUTING -d 1.1.1.1,2.2.2.2,3.3.3.3 -j MASQUERADE\nCOMMIT\n");
    CHECK(saved.diagnostics.starts_with("t.v4:5:1: error: this command would make 3 kernel rules after 3"));
}

TEST_CASE("TCPMSS without a SYN test: taken as iptables-nft takes it, with a warning that legacy does not") {
    auto o = ipt2nft::test::run("*mangle\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -j TCPMSS --set-mss 1000\nCOMMIT\n");
    CHECK(o.ok);
    CHECK(o.script.find("tcp option maxseg size set 1000") != std::string::npos);
    CHECK(o.diagnostics.find("warning:") != std::string::npos);
    CHECK(o.diagnostics.find("[needs-syn]") != std::string::npos);
    CHECK(o.diagnostics.find("[mss-not-added]") == std::string::npos);
}

TEST_CASE("TCPMSS below the MSS a receiver assumes: iptables adds the option where a SYN has none, nft cannot") {
    auto small =
        ipt2nft::test::run("*mangle\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --syn -j TCPMSS --set-mss 535\nCOMMIT\n");
    CHECK(small.ok);
    CHECK(small.diagnostics.find("gets one of 535 from iptables") != std::string::npos);
    CHECK(small.diagnostics.find("[mss-not-added]") != std::string::npos);
    CHECK(small.diagnostics.find("[needs-syn]") == std::string::npos);
    // At the default or above iptables adds 536, which the receiver assumes without it.
    auto enough =
        ipt2nft::test::run("*mangle\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --syn -j TCPMSS --set-mss 536\nCOMMIT\n");
    CHECK(enough.diagnostics.find("[mss-not-added]") == std::string::npos);
    // IPv6's is 1220.
    auto ipv6 = [](const std::string& mss) {
        ipt2nft::TranslateRequest r;
        r.inputs.push_back({"t.v6", "*mangle\n-A OUTPUT -p tcp --syn -j TCPMSS --set-mss " + mss + "\nCOMMIT\n"});
        r.family = ipt2nft::Family::ipv6;
        return ipt2nft::test::run(std::move(r)).diagnostics;
    };
    CHECK(ipv6("1219").find("[mss-not-added]") != std::string::npos);
    CHECK(ipv6("1220").find("[mss-not-added]") == std::string::npos);
}

TEST_CASE("misspelt protocols and REJECT types get a suggestion") {
    CHECK(rule("iptables -A INPUT -p tcpp").find("did you mean 'tcp'?") != std::string::npos);
    CHECK(rule("iptables -A INPUT -j REJECT --reject-with icmp-host-prohibted")
              .find("did you mean 'icmp-host-prohibited'?") != std::string::npos);
}

TEST_CASE("misspelt names of states, address types, ICMP types and log levels get a suggestion") {
    CHECK(rule("iptables -A INPUT -m state --state ESTABLSHED").find("did you mean 'established'?") !=
          std::string::npos);
    CHECK(rule("iptables -A INPUT -m addrtype --src-type LOCL").find("did you mean 'local'?") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p icmp --icmp-type echo-requst").find("did you mean 'echo-request'?") !=
          std::string::npos);
    CHECK(rule("iptables -A INPUT -j LOG --log-level warnng").find("did you mean 'warning'?") != std::string::npos);
}

TEST_CASE("-p and --ctproto of two protocols: the packet's protocol is tested again, so nft takes the rule") {
    // An ICMP error is related to a connection of another protocol: nothing to warn of.
    auto icmp = ipt2nft::test::run(
        "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m conntrack --ctproto udp -j ACCEPT\nCOMMIT\n");
    CHECK(icmp.diagnostics.find("never-matches") == std::string::npos);
}

TEST_CASE("an option's values after its first do not start with '-' or '!', as iptables reads them") {
    // Seen refused by iptables-nft 1.8.9: "-c requires packet and byte counter", "--tcp-flags
    // requires two args".
    for (const char* cut : {"iptables -A INPUT -c 10 -j ACCEPT", "iptables -A INPUT -p tcp --tcp-flags SYN -j ACCEPT",
                            "iptables -A INPUT -p tcp --tcp-flags ALL !SYN -j ACCEPT"})
        CHECK(rule(cut).find("[missing-value]") != std::string::npos);
    CHECK(rule_ir("iptables -A INPUT -c 1 2 -p tcp --tcp-flags ALL SYN -j ACCEPT") ==
          "rule counters 1:2\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp flags & 0x3f masked-eq 2\n"
          "do accept");
}

TEST_CASE("NAT ports after the protocols iptables takes: icmp's id for IPv4, a negated -p cannot be written") {
    CHECK(rule_ir("iptables -t nat -A OUTPUT -p icmp -j DNAT --to-destination :8080") ==
          "rule\n"
          "match payload ip protocol eq 1\n"
          "do dnat port 8080-8080 flags 0x0");
    CHECK(rule("iptables -t nat -A OUTPUT -p udplite -j DNAT --to-destination :8080").find("[needs-protocol]") !=
          std::string::npos);
    CHECK(rule("ip6tables -t nat -A OUTPUT -p icmpv6 -j DNAT --to-destination :8080").find("[needs-protocol]") !=
          std::string::npos);
    CHECK(rule("iptables -t nat -A OUTPUT ! -p tcp -j DNAT --to-destination :8080").find("[untranslatable]") !=
          std::string::npos);
    // iptables checks the protocol as it reads the mapping: a -p after it is refused.
    for (const char* late : {"iptables -t nat -A OUTPUT -j DNAT --to-destination 1.2.3.4:80 -p tcp",
                             "iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000 -p tcp",
                             "iptables -t nat -A PREROUTING -j REDIRECT --to-ports 80 -p udp"})
        CHECK(rule(late).find("before it [needs-protocol]") != std::string::npos);
    CHECK(rule_ir("iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4 -p tcp") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "do snat address 1.2.3.4 flags 0x0");
}

TEST_CASE("an option two loaded modules define goes where iptables sends it (seen with iptables-nft-restore)") {
    // The module last loaded first, but a module loaded again adds no options: after
    // `-m mark -m connmark -m mark`, --mark is connmark's.
    CHECK(rule("iptables -A INPUT -m mark --mark 1 -m connmark --mark 2 -m mark --mark 3 -j ACCEPT")
              .find("option --mark given twice in one connmark match [duplicate-option]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m mark --mark 1 -m connmark -m mark --mark 2 -j ACCEPT")
              .find("the mark match needs --mark [missing-option]") != std::string::npos);
    // Without one in between, the newest instance takes it.
    CHECK(rule_ir("iptables -A INPUT -m mark --mark 1 -m mark --mark 2 -j ACCEPT") ==
          "rule\n"
          "match meta mark eq 1\n"
          "match meta mark eq 2\n"
          "do accept");
    CHECK(rule_ir("iptables -A INPUT -m connmark --mark 1 -m mark --mark 2 -j ACCEPT") ==
          "rule\n"
          "match ct mark eq 1\n"
          "match meta mark eq 2\n"
          "do accept");
}

TEST_CASE("a prefix of an option loaded so far is taken before the protocol's own match is loaded") {
    // getopt_long resolves `--dest` among the options iptables has merged: -p tcp has not loaded
    // the tcp match yet, so it is --destination (seen with iptables-nft-restore), and `--dp`
    // after -m multiport is --dports.
    CHECK(rule_ir("iptables -A INPUT -p tcp --dest 1.2.3.4 -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "match payload ip daddr eq 1.2.3.4/255.255.255.255\n"
          "do accept");
    CHECK(rule_ir("iptables -A INPUT -p tcp -m multiport --dp 22 -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 6\n"
          "match payload tcp dport eq 22\n"
          "do accept");
    // A name known neither way loads the protocol's match, which may know it or a prefix of it.
    CHECK(rule_ir("iptables -A INPUT -p tcp --sy -j ACCEPT") ==
          "rule\n"
          "match payload ip protocol eq 6 [protocol of its match]\n"
          "match payload tcp flags & 0x17 masked-eq 2\n"
          "do accept");
    CHECK(rule("iptables -A INPUT -p tcp --s 1.2.3.4 -j ACCEPT").find("[ambiguous-option]") != std::string::npos);
}

TEST_CASE("prefixes among the command's options too, as getopt_long reads them (seen with iptables-nft)") {
    auto refused = [](const std::string& command, const std::string& what) {
        return rule(command).find(what) != std::string::npos;
    };
    CHECK(rule_ir("iptables --app INPUT -j ACCEPT") ==
          "rule\n"
          "do accept");
    CHECK(rule("iptables --ins INPUT -j ACCEPT") == "nft 'insert rule ip filter INPUT counter accept'");
    CHECK(rule_ir("iptables -A INPUT --t filter --verb --fragments -j ACCEPT") ==
          "rule\n"
          "match payload ip frag-off & 0x1fff masked-neq 0\n"
          "do accept");
    CHECK(rule("iptables --po INPUT DROP") == "nft 'chain ip filter INPUT { policy drop; }'");
    // A prefix of a rule's option and of a command's option is ambiguous.
    CHECK(refused("iptables -A INPUT --in eth0 -j ACCEPT", "could be --in-interface, --insert"));
    CHECK(refused("iptables -A INPUT --d 1.2.3.4 -j ACCEPT", "[ambiguous-option]"));
    CHECK(refused("iptables -A INPUT --p tcp -j ACCEPT", "could be --policy, --protocol"));
    CHECK(refused("iptables -A INPUT -m comment --c x -j ACCEPT", "could be --check, --comment"));
    CHECK(refused("iptables -A INPUT -m length --l 100 -j ACCEPT", "[ambiguous-option]"));
    // Options that only shape a listing, and --wait-interval without --wait, are refused.
    CHECK(refused("iptables -A INPUT -n -j ACCEPT", "iptables refuses '-n' here"));
    CHECK(refused("iptables -vx -A INPUT -j ACCEPT", "iptables refuses '-vx' here"));
    CHECK(refused("iptables -A INPUT -W 100 -j ACCEPT", "--wait-interval without --wait"));
    CHECK(rule_ir("iptables -w -W 100 -A INPUT -j ACCEPT") ==
          "rule\n"
          "do accept");
    // -w and -W read their values as sscanf reads a number (seen with iptables-nft 1.8.9).
    for (const char* waits : {"-w 5x", "-w0x5", "--wait=5 -W 999999"})
        CHECK(rule_ir(std::string("iptables ") + waits + " -A INPUT -j ACCEPT") == "rule\ndo accept");
    for (const char* waits : {"-w,", "--wait=x", "-w -W 1000000", "-w -W x"})
        CHECK(refused(std::string("iptables ") + waits + " -A INPUT -j ACCEPT", "[bad-value]"));
    CHECK(rule_ir("iptables --mod /sbin/modprobe -A INPUT -j ACCEPT") ==
          "rule\n"
          "do accept");
}
