// Unit tests of the esp, ah, ipcomp, tcpmss, osf, sctp, dccp, ecn, dscp, devgroup, cpu, cgroup, connbytes, helper,
// time, realm, policy, recent, connlimit, hashlimit, quota, rpfilter, u32 and IPv6 header matches: what each option
// means as nft writes it, and what is refused with the reason.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

using ipt2nft::test::rule;

namespace {
// The rule's body as `translate -c` writes it: what follows `add rule FAMILY TABLE CHAIN`.
std::string rule_body(const std::string& command) {
    std::string r = rule(command);
    if (!r.starts_with("nft 'add rule ")) return r;
    size_t at = 0;
    for (int word = 0; word < 6; ++word) at = r.find(' ', at) + 1;
    return r.substr(at, r.size() - at - 1);
}

bool refused_as(const std::string& command, const std::string& code) {
    std::string r = rule(command);
    return r.starts_with("ERROR ") && r.find("[" + code + "]") != std::string::npos;
}
}  // namespace

TEST_CASE("esp and ah: the SPI needs -p of the header; every SPI stays a range (first fragments only)") {
    CHECK(rule_body("iptables -A INPUT -p esp -m esp --espspi 500:600") == "esp spi 500-600 counter");
    CHECK(rule_body("iptables -A INPUT -p 50 -m esp ! --espspi 0x10:") == "esp spi != 16-4294967295 counter");
    CHECK(rule_body("ip6tables -A INPUT -p esp -m esp --espspi 0:4294967295") == "esp spi 0-4294967295 counter");
    CHECK(rule("iptables -A INPUT -m esp --espspi 5").find("needs '-p esp'") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p esp -m esp --espspi 9:3").find("is empty") != std::string::npos);
    CHECK(rule_body("iptables -A INPUT -p ah -m ah ! --ahspi 50") == "ah spi != 50 counter");
    CHECK(rule("iptables -A INPUT -p ah -m ah --ahlen 24").find("ip6tables' ah match only") != std::string::npos);
}

TEST_CASE("ipcomp: the 16-bit CPI of a first fragment, within the 32-bit range xt_ipcomp compares") {
    CHECK(rule_body("iptables -A INPUT -p ipcomp -m ipcomp --ipcompspi 0x12") ==
          "ip protocol comp comp cpi 18 counter");
    CHECK(rule_body("ip6tables -A INPUT -p 108 -m ipcomp ! --ipcompspi 10:70000") ==
          "meta l4proto comp comp cpi != 10-65535 counter");
    // Above every CPI: no header matches, or (negated) every one does.
    CHECK(refused_as("iptables -A INPUT -p ipcomp -m ipcomp --ipcompspi 70000", "untranslatable"));
    CHECK(rule_body("iptables -A INPUT -p ipcomp -m ipcomp ! --ipcompspi 70000:") ==
          "ip protocol comp comp cpi 0-65535 counter");
    // Without a range iptables 1.8.9 sends 0 to 0.
    CHECK(rule_body("iptables -A INPUT -p ipcomp -m ipcomp") == "ip protocol comp comp cpi 0 counter");
    auto bare = ipt2nft::test::run("*filter\n-A INPUT -p ipcomp -m ipcomp --compres\nCOMMIT\n");
    CHECK(bare.diagnostics.find("[ipcomp-cpi-zero]") != std::string::npos);
    CHECK(bare.diagnostics.find("ignores --compres: it is left out [ignored-option]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m ipcomp --ipcompspi 1").find("needs '-p ipcomp'") != std::string::npos);
}

TEST_CASE("tcpmss: the MSS option's value; '!' also means packets without the option, refused") {
    CHECK(rule_body("iptables -A INPUT -p tcp -m tcpmss --mss 42") ==
          "ip protocol tcp tcp option maxseg size 42 counter");
    CHECK(rule_body("ip6tables -A INPUT -p tcp -m tcpmss --mss 1400:") ==
          "meta l4proto tcp tcp option maxseg size 1400-65535 counter");
    CHECK(refused_as("iptables -A INPUT -p tcp -m tcpmss ! --mss 1461:65535", "untranslatable"));
    CHECK(rule("iptables -A INPUT -m tcpmss --mss 42").find("needs '-p tcp'") != std::string::npos);
    CHECK(rule("iptables -A INPUT -p tcp -m tcpmss --mss 70000").find("[bad-value]") != std::string::npos);
}

TEST_CASE("osf: nft's genre of a SYN's first fingerprint, with a warning; --log, '!' and long genres refused") {
    CHECK(rule_body("iptables -A INPUT -p tcp -m osf --genre Linux") == "ip protocol tcp osf name \"Linux\" counter");
    CHECK(rule_body("iptables -A FORWARD -p tcp -m osf --genre Windows --ttl 1") ==
          "ip protocol tcp osf ttl loose name \"Windows\" counter");
    CHECK(rule_body("iptables -A INPUT -p tcp -m osf --genre Linux --ttl 2") ==
          "ip protocol tcp osf ttl skip name \"Linux\" counter");
    auto warned = ipt2nft::test::run("*filter\n-A INPUT -p tcp -m osf --genre Linux\nCOMMIT\n");
    CHECK(warned.diagnostics.find("[osf-first-fingerprint]") != std::string::npos);
    CHECK(refused_as("iptables -A INPUT -p tcp -m osf ! --genre Linux", "untranslatable"));
    CHECK(refused_as("iptables -A INPUT -p tcp -m osf --genre Linux --log 0", "untranslatable"));
    CHECK(refused_as("iptables -A INPUT -p tcp -m osf --genre SixteenLettersXY", "untranslatable"));
    CHECK(rule_body("iptables -A INPUT -p tcp -m osf --genre Linux --ttl 3") ==
          "ip protocol tcp osf ttl loose name \"Linux\" counter");
    CHECK(refused_as("iptables -A OUTPUT -p tcp -m osf --genre Linux", "match-not-allowed"));
    CHECK(rule("iptables -A INPUT -m osf --genre Linux").find("needs '-p tcp'") != std::string::npos);
    CHECK(rule("ip6tables -A INPUT -p tcp -m osf --genre Linux").find("osf") != std::string::npos);
    CHECK(rule("ip6tables -A INPUT -p tcp -m osf --genre Linux").starts_with("ERROR "));
}

TEST_CASE("ip6tables' ah: found past other extension headers, --ahlen in bytes, --ahres means zero") {
    CHECK(rule_body("ip6tables -A INPUT -m ah --ahspi 500") == "ah spi 500 counter");
    CHECK(rule_body("ip6tables -A INPUT -m ah --ahlen 24 --ahres") == "ah hdrlength 4 ah reserved 0 counter");
    CHECK(rule_body("ip6tables -A INPUT -m ah ! --ahlen 120") == "ah hdrlength != 28 counter");
    CHECK(rule_body("ip6tables -A INPUT -m ah") == "ah spi 0-4294967295 counter");
    CHECK(rule_body("ip6tables -A INPUT -m ah --ahlen 0") == "ah spi 0-4294967295 counter");
    CHECK(rule_body("ip6tables -A INPUT -m ah ! --ahlen 7") == "ah spi 0-4294967295 counter");
    CHECK(refused_as("ip6tables -A INPUT -m ah --ahlen 7", "untranslatable"));
    CHECK(refused_as("ip6tables -A INPUT -p tcp -m ah --ahspi 1", "untranslatable"));
    CHECK(rule_body("ip6tables -A INPUT -p 51 -m ah --ahspi 1") == "ah spi 1 counter");
}

TEST_CASE("sctp and dccp: ports, DCCP types (INVALID is 10-15), first fragments only even without ports") {
    CHECK(rule_body("iptables -A INPUT -p sctp -m sctp") == "sctp sport 0-65535 counter");
    CHECK(rule_body("iptables -A INPUT -p sctp --dport 80 ! --sport 50:55") ==
          "sctp sport != 50-55 sctp dport 80 counter");
    CHECK(refused_as("iptables -A INPUT -p sctp --chunk-types all INIT", "untranslatable"));
    CHECK(rule("iptables -A INPUT -m sctp --dport 80").find("needs '-p sctp'") != std::string::npos);
    CHECK(rule_body("iptables -A INPUT -p dccp -m dccp --dccp-types CLOSE") == "dccp type 6 counter");
    CHECK(rule_body("ip6tables -A INPUT -p dccp -m dccp ! --dccp-types INVALID,ack --sport 5") ==
          "dccp sport 5 dccp type != { 10-15, 3 } counter");
    CHECK(rule_body("iptables -A INPUT -p dccp -m dccp") == "dccp sport 0-65535 counter");
    CHECK(refused_as("iptables -A INPUT -p dccp --dccp-option 3", "untranslatable"));
    CHECK(rule("iptables -A INPUT -p dccp --dccp-types BOGUS").find("unknown DCCP packet type") != std::string::npos);
}

TEST_CASE("ecn tests one TCP flag bit (not the whole byte) and the ECN field; dscp the DSCP field") {
    CHECK(rule_body("iptables -A INPUT -p tcp -m ecn ! --ecn-tcp-ece") == "ip protocol tcp tcp flags ! ecn counter");
    CHECK(rule_body("iptables -A INPUT -p tcp -m ecn --ecn-tcp-cwr --ecn-ip-ect 2") ==
          "ip protocol tcp tcp flags cwr ip ecn 2 counter");
    CHECK(rule("iptables -A INPUT -m ecn --ecn-tcp-cwr").find("needs '-p tcp'") != std::string::npos);
    CHECK(rule_body("ip6tables -A INPUT -m ecn ! --ecn-ip-ect 3") == "ip6 ecn != 3 counter");
    CHECK(rule("iptables -A INPUT -m ecn --ecn-ip-ect 4").find("out of range") != std::string::npos);
    CHECK(rule_body("iptables -A INPUT -m dscp ! --dscp 0x32") == "ip dscp != 50 counter");
    CHECK(rule_body("ip6tables -A INPUT -m dscp --dscp-class af41") == "ip6 dscp 34 counter");
    CHECK(rule_body("iptables -A INPUT -m dscp --dscp-class AF41x") == "ip dscp 34 counter");  // as iptables reads it
    CHECK(rule("iptables -A INPUT -m dscp --dscp-class XY").find("unknown DSCP class") != std::string::npos);
}

TEST_CASE("devgroup, cpu and cgroup: metadata, in the hooks the kernel takes them") {
    CHECK(rule_body("iptables -A FORWARD -m devgroup ! --src-group 0x2 --dst-group 0xc/0xc") ==
          "iifgroup != 2 oifgroup & 12 == 12 counter");
    CHECK(rule_body("iptables -A FORWARD -m devgroup --src-group 5/0xffffffff") == "iifgroup 5 counter");
    CHECK(refused_as("iptables -A OUTPUT -m devgroup --src-group 5", "match-not-allowed"));
    CHECK(refused_as("iptables -A INPUT -m devgroup --dst-group 5", "match-not-allowed"));
    CHECK(rule_body("iptables -A INPUT -m cpu ! --cpu 3") == "meta cpu != 3 counter");
    CHECK(rule_body("iptables -A OUTPUT -m cgroup --cgroup 0x100001") == "meta cgroup 1048577 counter");
    CHECK(refused_as("iptables -A FORWARD -m cgroup --cgroup 1", "match-not-allowed"));
    CHECK(refused_as("iptables -A OUTPUT -m cgroup --path a/b", "untranslatable"));

    // A user chain: the kernel checks no hook there, and the test never matches from OUTPUT.
    auto o = ipt2nft::test::run("*filter\n:U - [0:0]\n-A OUTPUT -j U\n-A U -m devgroup --src-group 1\nCOMMIT\n");
    CHECK(o.ok);
    CHECK(o.diagnostics.find("never matches in chain U, reached from OUTPUT") != std::string::npos);
}

TEST_CASE("connbytes: N is N and more; '!' swaps the bounds as libxt_connbytes does, equal bounds stay equal") {
    const std::string tail = " --connbytes-dir original --connbytes-mode packets";
    CHECK(rule_body("iptables -A INPUT -m connbytes --connbytes 200" + tail) == "ct original packets ge 200 counter");
    CHECK(rule_body("iptables -A INPUT -m connbytes ! --connbytes 200" + tail) == "ct original packets lt 200 counter");
    CHECK(rule_body("iptables -A INPUT -m connbytes --connbytes 200:600 --connbytes-dir both --connbytes-mode bytes") ==
          "ct bytes 200-600 counter");
    CHECK(rule_body("iptables -A INPUT -m connbytes ! --connbytes 2:6 --connbytes-dir reply --connbytes-mode avgpkt") ==
          "ct reply avgpkt != 2-6 counter");
    CHECK(rule_body("iptables -A INPUT -m connbytes ! --connbytes 5:5" + tail) == "ct original packets 5 counter");
    CHECK(rule("iptables -A INPUT -m connbytes --connbytes 5 --connbytes-dir both").find("connbytes-mode") !=
          std::string::npos);
    CHECK(rule("iptables -A INPUT -m connbytes --connbytes 5 --connbytes-dir sideways --connbytes-mode bytes")
              .find("unknown --connbytes-dir") != std::string::npos);
}

TEST_CASE("helper: refused, since xt_helper tests the master connection's helper") {
    CHECK(refused_as("iptables -A FORWARD -m helper --helper ftp", "untranslatable"));
    CHECK(rule("iptables -A FORWARD -m helper ! --helper sip").find("that expected this one") != std::string::npos);
}

TEST_CASE("time: dates and hours in UTC as numbers (nft reads strings as local time), whole seconds through") {
    CHECK(rule_body("iptables -A INPUT -m time --datestart 2021-01-01T10:00:00") == "meta time ge 1609495200 counter");
    // The last second of --datestop matches through: xt_time compares whole seconds.
    CHECK(rule_body("iptables -A INPUT -m time --datestop 2021") == "meta time lt 1609459201 counter");
    // As libxt_time: a day past the month's end runs into the next month; 2038-01-19T03:14:07 is no end.
    CHECK(rule_body("iptables -A INPUT -m time --datestart 2021-02-31 --datestop 2038-01-19T03:14:07") ==
          "meta time ge 1614729600 counter");
    CHECK(rule_body("iptables -A INPUT -m time --timestart 12:00") == "meta hour 43200-86399 counter");
    CHECK(rule_body("iptables -A INPUT -m time --timestop 1:2:3") == "meta hour 0-3723 counter");
    // Past midnight: all but the hours between, both ends included as xt_time includes them.
    CHECK(rule_body("iptables -A INPUT -m time --timestart 22:00 --timestop 07:00") ==
          "meta hour != 25201-79199 counter");
    // Equal ends are the whole day to xt_time.
    CHECK(rule_body("iptables -A INPUT -m time --timestart 12:00 --timestop 12:00") == "counter");
    CHECK(rule("iptables -A INPUT -m time --timestart 24:00").find("not a time of day") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m time --datestart 2005/02/01").find("not a date") != std::string::npos);
    // As libxt_time reads them with strtoul: an empty field is 0, a month 0 the December before.
    CHECK(rule_body("iptables -A INPUT -m time --timestart 23:00:") == "meta hour 82800-86399 counter");
    CHECK(rule_body("iptables -A INPUT -m time --timestart :30") == "meta hour 1800-86399 counter");
    CHECK(rule("iptables -A INPUT -m time --timestart 23").find("not a time of day") != std::string::npos);
    CHECK(rule_body("iptables -A INPUT -m time --datestart 2021-") == "meta time ge 1606780800 counter");
    CHECK(rule("iptables -A INPUT -m time --datestart 1970-0").find("not a date") != std::string::npos);
}

TEST_CASE("time: weekdays Sunday 0 as nft counts, by name or 1-7 from Monday; what nft cannot say refused") {
    CHECK(rule_body("iptables -A INPUT -m time --weekdays Saturday,Su") == "meta day { 0, 6 } counter");
    CHECK(rule_body("iptables -A INPUT -m time --weekdays 7") == "meta day 0 counter");
    CHECK(rule_body("iptables -A INPUT -m time ! --weekdays Mo,Tu,We,Th,Fr") == "meta day { 0, 6 } counter");
    CHECK(rule_body("iptables -A INPUT -m time --weekdays Mo,Tu,We,Th,Fr,Sa,Su") == "counter");
    CHECK(rule("iptables -A INPUT -m time --weekdays sa").find("not a day") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m time --weekdays 0").find("not a day") != std::string::npos);
    CHECK(refused_as("iptables -A INPUT -m time ! --weekdays 1,2,3,4,5,6,7", "never-matches"));
    CHECK(refused_as("iptables -A INPUT -m time --monthdays 1,15", "untranslatable"));
    CHECK(refused_as("iptables -A INPUT -m time --timestart 09:00 --kerneltz", "untranslatable"));
    CHECK(refused_as("iptables -A INPUT -m time --localtz", "untranslatable"));
    CHECK(refused_as("iptables -A INPUT -m time --weekdays Mo --timestart 23:00 --timestop 1:00 --contiguous",
                     "untranslatable"));
    // Without weekdays --contiguous changes nothing.
    CHECK(rule_body("iptables -A INPUT -m time --timestart 23:00 --timestop 1:00 --contiguous") ==
          "meta hour != 3601-82799 counter");
}

TEST_CASE("realm and policy: the route's classid; whether a packet came through IPsec or leaves through it") {
    CHECK(rule_body("iptables -A INPUT -m realm --realm 4") == "rtclassid 0x4 counter");
    CHECK(rule_body("iptables -A FORWARD -m realm ! --realm 1/0xf") == "rtclassid & 0xf != 0x1 counter");
    CHECK(refused_as("iptables -t mangle -A PREROUTING -m realm --realm 4", "match-not-allowed"));
    CHECK(rule("ip6tables -A INPUT -m realm --realm 4").find("iptables") != std::string::npos);
    CHECK(rule_body("iptables -A INPUT -m policy --dir in --pol ipsec") == "meta secpath exists counter");
    CHECK(rule_body("ip6tables -A FORWARD -m policy --dir in --pol none") == "meta secpath missing counter");
    CHECK(rule_body("iptables -A INPUT -m policy --dir in") == "meta secpath exists counter");
    CHECK(refused_as("iptables -A OUTPUT -m policy --dir in --pol none", "match-not-allowed"));
    // Out: the route's xfrm bundle, in the hooks xt_policy takes --dir out.
    CHECK(rule_body("iptables -A FORWARD -m policy --dir out --pol ipsec") == "rt ipsec exists counter");
    CHECK(rule_body("ip6tables -t nat -A POSTROUTING -m policy --dir out --pol none") == "rt ipsec missing counter");
    CHECK(refused_as("iptables -A INPUT -m policy --dir out", "match-not-allowed"));
    CHECK(refused_as("iptables -t mangle -A PREROUTING -m policy --dir out", "match-not-allowed"));
    CHECK(refused_as("iptables -A OUTPUT -m policy --dir out --pol ipsec --mode tunnel", "untranslatable"));
    CHECK(refused_as("iptables -A INPUT -m policy --dir in --pol ipsec --proto esp", "untranslatable"));
    CHECK(rule("iptables -A INPUT -m policy --pol none").find("--dir") != std::string::npos);
}

TEST_CASE("IPv6 extension headers: lengths in bytes as ipv6_optlen counts them, ranges clipped to the field") {
    CHECK(rule_body("ip6tables -A INPUT -m frag --fragid 100 --fragres --fragmore") ==
          "frag id 100 frag reserved 0 frag reserved2 0 frag more-fragments 1 counter");
    CHECK(rule_body("ip6tables -A INPUT -m frag --fragid 0:4294967295") == "exthdr frag exists counter");
    CHECK(rule_body("ip6tables -A INPUT -m frag ! --fragid 0:4294967295") == "frag id != 0-4294967295 counter");
    CHECK(rule_body("ip6tables -A INPUT -m frag --fragfirst --fraglast") ==
          "frag frag-off 0 frag more-fragments 0 counter");
    ipt2nft::TranslateRequest length;
    length.inputs.push_back({"t.v6", "*filter\n-A INPUT -m frag --fraglen 8\nCOMMIT\n"});
    auto o = ipt2nft::test::run(std::move(length));
    CHECK(o.script.find("exthdr frag exists") != std::string::npos);
    CHECK(o.diagnostics.find("never compares it") != std::string::npos);
    // --rt-len 24 is (hdrlength + 1) * 8 bytes; no header is 22 bytes long.
    CHECK(rule_body("ip6tables -A INPUT -m rt --rt-type 0 --rt-len 24 ! --rt-segsleft 26") ==
          "rt type 0 rt seg-left != 26 rt hdrlength 2 counter");
    CHECK(refused_as("ip6tables -A INPUT -m rt --rt-len 22", "untranslatable"));
    CHECK(rule_body("ip6tables -A INPUT -m rt ! --rt-len 22") == "exthdr rt exists counter");
    CHECK(rule_body("ip6tables -A INPUT -m rt ! --rt-segsleft 0:4294967295") == "rt seg-left != 0-255 counter");
    CHECK(rule_body("ip6tables -A INPUT -m rt --rt-segsleft 300") == "rt seg-left != 0-255 counter");
    CHECK(rule_body("ip6tables -A INPUT -m rt ! --rt-segsleft 300") == "exthdr rt exists counter");
    CHECK(refused_as("ip6tables -A INPUT -m rt --rt-type 0 --rt-0-res", "untranslatable"));
    CHECK(rule_body("ip6tables -A INPUT -m hbh --hbh-len 8") == "hbh hdrlength 0 counter");
    CHECK(rule_body("ip6tables -A INPUT -m dst ! --dst-len 16") == "dst hdrlength != 1 counter");
    CHECK(refused_as("ip6tables -A INPUT -m hbh --hbh-opts 4:5", "untranslatable"));
    CHECK(rule_body("ip6tables -A INPUT -p mh -m mh --mh-type bu:ba") == "mh type 5-6 counter");
    CHECK(rule_body("ip6tables -A INPUT -p mobility-header -m mh --mh-type 0:255") == "exthdr mh exists counter");
    CHECK(rule("ip6tables -A INPUT -m mh --mh-type 1").find("needs '-p mh'") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m frag --fragid 1").find("ip6tables") != std::string::npos);
    // Neighbouring fields of an extension header each have a load: nft merges payload loads only.
    std::string loads =
        ipt2nft::test::written_as(ipt2nft::TranslateRequest::Format::netlink,
                                  "*filter\n-A INPUT -m rt --rt-type 2 --rt-segsleft 3\nCOMMIT\n", "t.v6");
    CHECK(loads.find("exthdr load ipv6 1b @ 43 + 2 => reg 1 ]\n  [ cmp eq reg 1 0x00000002 ]\n  [ exthdr load ipv6 1b "
                     "@ 43 + 3") != std::string::npos);
}

TEST_CASE("tos: the TOS byte or traffic class under its mask, as raw header bits byte-aligned") {
    // Names mean their value under 0x3f, numbers 0xff unless a mask is given (iptables-nft-save).
    CHECK(rule("iptables -A INPUT -m tos --tos Minimize-Delay -j ACCEPT") ==
          "nft 'add rule ip filter INPUT @nh,8,8 & 63 == 16 counter accept'");
    CHECK(rule("iptables -A INPUT -m tos ! --tos 0x10") == "nft 'add rule ip filter INPUT @nh,8,8 != 16 counter'");
    CHECK(rule("iptables -A INPUT -m tos --tos normal-service/0x3f").find("a name stands alone") != std::string::npos);
    // IPv6: the class is bits 4-11 of the first 16; nft loses raw bits that start inside a byte.
    CHECK(rule("ip6tables -A INPUT -m tos --tos 0x20/0xf0") ==
          "nft 'add rule ip6 filter INPUT @nh,0,16 & 3840 == 512 counter'");
    CHECK(rule("ip6tables -A INPUT -m tos ! --tos Minimize-Delay") ==
          "nft 'add rule ip6 filter INPUT @nh,0,16 & 1008 != 256 counter'");
    CHECK(rule("iptables -A INPUT -m tos --tos 0x100").find("does not fit in a byte") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m tos --tos Bogus").find("unknown TOS name") != std::string::npos);
}

TEST_CASE("recent: a named dynamic set per list, its timeout the lookups' --seconds; what nft cannot keep refused") {
    auto o = ipt2nft::test::run(R"(*filter
-A INPUT -p tcp --dport 22 -m recent --set --name SSH
-A INPUT -p tcp --dport 22 -m recent --update --seconds 60 --name SSH --rsource -j DROP
-A INPUT -m recent --rcheck --name scan --rdest --mask 255.255.255.0 -j DROP
-A INPUT -m recent ! --rcheck -j ACCEPT
COMMIT
)",
                                false);
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    for (const char* part : {"\tset SSH { type ipv4_addr; flags dynamic,timeout; timeout 60s; }",
                             "\tset scan { type ipv4_addr; }", "\tset DEFAULT { type ipv4_addr; }",
                             // --set refreshes with the timeout of the list's lookups.
                             "tcp dport 22 update @SSH { ip saddr timeout 60s }",
                             "tcp dport 22 ip saddr @SSH update @SSH { ip saddr timeout 60s } drop",
                             "ip daddr & 255.255.255.0 @scan drop", "ip saddr != @DEFAULT accept"})
        CHECK_MESSAGE(o.script.find(part) != std::string::npos, std::string(part), "\n", o.script);
    CHECK(rule("ip6tables -A INPUT -m recent --set --name v6 --mask ffff:ffff:: --rdest") ==
          "nft 'add set ip6 filter v6 { type ipv6_addr; flags dynamic; }'\n"
          "nft 'add rule ip6 filter INPUT update @v6 { ip6 daddr & ffff:ffff:: } counter'");
    for (const char* refused :
         {"--update --seconds 60 --hitcount 4", "--rcheck --rttl", "--remove", "! --set", "! --update"})
        CHECK_MESSAGE(refused_as(std::string("iptables -A INPUT -m recent ") + refused, "untranslatable"), refused);
    CHECK(refused_as("iptables -A INPUT -m recent --set --seconds 5", "conflicting-options"));
    CHECK(rule("iptables -A INPUT -m recent --rcheck --reap").starts_with("ERROR "));
    // iptables takes any name; nft's syntax does not, so such a set is renamed, with a warning.
    auto renamed = ipt2nft::test::run(
        "*filter\n-A INPUT -m recent --set --name counter\n"
        "-A INPUT -m recent --rcheck --name --reap\nCOMMIT\n",
        false);
    CHECK(renamed.script.find("update @counter_set { ip saddr }") != std::string::npos);
    CHECK(renamed.script.find("ip saddr @_--reap") != std::string::npos);
    CHECK(renamed.diagnostics.find("counter -> counter_set, --reap -> _--reap [set-renamed]") != std::string::npos);
    // One list, one set: one timeout, one table.
    auto timeouts = ipt2nft::test::run(
        "*filter\n-A INPUT -m recent --rcheck --seconds 60\n-A INPUT -m recent --rcheck --seconds 10\nCOMMIT\n");
    CHECK(timeouts.diagnostics.find("t.v4:3:13: error: recent list 'DEFAULT' is looked up with --seconds 10 here and "
                                    "with --seconds 60 before") != std::string::npos);
    auto shared = ipt2nft::test::run(
        "*raw\n-A PREROUTING -m recent --set\nCOMMIT\n*filter\n-A INPUT -m recent --rcheck\nCOMMIT\n");
    CHECK(shared.diagnostics.find("t.v4:5:13: error: recent list 'DEFAULT' is also used by table raw") !=
          std::string::npos);
}

TEST_CASE("connlimit: a set per rule, each address counting its connections, as iptables-translate writes it") {
    CHECK(rule("iptables -A INPUT -p tcp --syn -m connlimit --connlimit-above 2 -j REJECT") ==
          "nft 'add set ip filter connlimit0 { type ipv4_addr; flags dynamic; }'\n"
          "nft 'add rule ip filter INPUT tcp flags syn / fin,syn,rst,ack add @connlimit0 { ip saddr ct count over 2 } "
          "counter reject'");
    CHECK(rule_body("iptables -A INPUT -m connlimit --connlimit-upto 2 --connlimit-mask 24")
              .ends_with("add @connlimit0 { ip saddr & 255.255.255.0 ct count 2 } counter'"));
    CHECK(rule_body("ip6tables -A INPUT -m connlimit ! --connlimit-upto 2 --connlimit-daddr")
              .ends_with("add @connlimit0 { ip6 daddr ct count over 2 } counter'"));
    CHECK(refused_as("iptables -A INPUT -m connlimit --connlimit-mask 24", "missing-option"));
    CHECK(rule("iptables -A INPUT -m connlimit --connlimit-above 1 --connlimit-mask 33").starts_with("ERROR "));
    // Each rule its own set, past the names recent lists take.
    auto o = ipt2nft::test::run(
        "*filter\n-A INPUT -m connlimit --connlimit-above 1\n-A INPUT -m recent --set "
        "--name connlimit1\n-A INPUT -m connlimit --connlimit-above 2\nCOMMIT\n",
        false);
    CHECK(o.script.find("add @connlimit0 { ip saddr ct count over 1 }") != std::string::npos);
    CHECK(o.script.find("add @connlimit2 { ip saddr ct count over 2 }") != std::string::npos);
}

TEST_CASE("hashlimit: a meter per rule keyed by its modes, a set shared by rules of one name, the rest refused") {
    // iptables-translate's order of the key's fields; the rate as the kernel rounds it (10^6 ticks
    // a second); entries expire after the rate's unit unless --hashlimit-htable-expire says.
    CHECK(rule_body("iptables -A INPUT -p tcp -m hashlimit --hashlimit-upto 300 --hashlimit-burst 15 --hashlimit-mode "
                    "srcip,dstip,dstport --hashlimit-name https --hashlimit-htable-expire 300000") ==
          "ip protocol tcp meter https { ip daddr . th dport . ip saddr timeout 300s limit rate 300/second burst 15 "
          "packets } counter");
    CHECK(rule_body("iptables -A INPUT -m hashlimit --hashlimit-above 10/min --hashlimit-mode srcip --hashlimit-name "
                    "a --hashlimit-srcmask 24 --hashlimit-htable-max 100 --hashlimit-htable-expire 1500") ==
          "meter a size 100 { ip saddr & 255.255.255.0 timeout 1500ms limit rate over 10/minute burst 5 packets } "
          "counter");
    CHECK(rule_body("ip6tables -A INPUT -m hashlimit ! --hashlimit-above 1/h --hashlimit-mode dstip "
                    "--hashlimit-dstmask 64 --hashlimit-name b") ==
          "meter b { ip6 daddr & ffff:ffff:ffff:ffff:: timeout 3600s limit rate 1/hour burst 5 packets } counter");
    // 300000/second is an interval of 3 ticks: 333333/second in the kernel.
    CHECK(rule_body("iptables -A INPUT -m hashlimit --hashlimit 300000/s --hashlimit-mode srcip --hashlimit-name c")
              .find("limit rate 333333/second") != std::string::npos);
    for (const char* refused :
         {"--hashlimit-upto 10kb/s --hashlimit-mode srcip --hashlimit-name d", "--hashlimit-upto 10 --hashlimit-name d",
          "--hashlimit-upto 10 --hashlimit-mode dstport --hashlimit-name d",
          "--hashlimit-upto 10 --hashlimit-mode srcip --hashlimit-name d --hashlimit-rate-match"})
        CHECK_MESSAGE(refused_as(std::string("iptables -A INPUT -m hashlimit ") + refused, "untranslatable"), refused);
    CHECK(refused_as("iptables -A INPUT -m hashlimit --hashlimit-mode srcip --hashlimit-name d", "missing-option"));
    CHECK(refused_as("iptables -A INPUT -m hashlimit --hashlimit-upto 10 --hashlimit-mode srcip", "missing-option"));
    CHECK(refused_as("iptables -A INPUT -m hashlimit --hashlimit-upto 10 --hashlimit-mode srcip,up --hashlimit-name d",
                     "bad-value"));
    CHECK(
        refused_as("iptables -A INPUT -m hashlimit --hashlimit-upto 10 --hashlimit-burst 0 --hashlimit-mode srcip "
                   "--hashlimit-name d",
                   "bad-value"));
    CHECK(
        refused_as("iptables -A INPUT -m hashlimit --hashlimit-upto 10 --hashlimit-mode srcip --hashlimit-name "
                   "sixteen-letters_",
                   "bad-value"));
    // One name, one table of buckets: the first rule's settings, each rule's own way.
    auto o = ipt2nft::test::run(
        "*filter\n-A INPUT -m hashlimit --hashlimit-above 1000/sec --hashlimit-mode srcip --hashlimit-name s\n"
        "-A INPUT -m hashlimit --hashlimit-above 125/sec --hashlimit-mode srcip --hashlimit-name s\nCOMMIT\n",
        false);
    CHECK(o.script.find("\tset s { type ipv4_addr; size 65535; flags dynamic,timeout; timeout 1s; }") !=
          std::string::npos);
    const std::string update = "update @s { ip saddr limit rate over 1000/second burst 5 packets }";
    CHECK(o.script.find(update) != std::string::npos);
    CHECK(o.script.rfind(update) != o.script.find(update));  // both rules, the first one's rate
    CHECK(o.diagnostics.find("t.v4:3:13: warning: hashlimit 's' was made by an earlier rule") != std::string::npos);
    for (const char* second : {"-A INPUT -m hashlimit --hashlimit-upto 5 --hashlimit-mode srcip --hashlimit-name s",
                               "COMMIT\n*raw\n-A PREROUTING -m hashlimit --hashlimit-above 5 --hashlimit-mode srcip "
                               "--hashlimit-name s",
                               "-A INPUT -m recent --set --name s"}) {
        auto refused = ipt2nft::test::run(std::string("*filter\n-A INPUT -m hashlimit --hashlimit-above 5 "
                                                      "--hashlimit-mode srcip --hashlimit-name s\n") +
                                          second + "\nCOMMIT\n");
        CHECK_MESSAGE(!refused.ok, second);
        CHECK_MESSAGE((refused.diagnostics.find("[hashlimit-shared]") != std::string::npos ||
                       refused.diagnostics.find("[hashlimit-name-taken]") != std::string::npos),
                      refused.diagnostics);
    }
    // libnftables' JSON has whole seconds of timeout only.
    ipt2nft::TranslateRequest r;
    r.inputs.push_back({"t.v4",
                        "*filter\n-A INPUT -m hashlimit --hashlimit-upto 5 --hashlimit-mode srcip "
                        "--hashlimit-name s --hashlimit-htable-expire 1500\nCOMMIT\n"});
    r.format = ipt2nft::TranslateRequest::Format::json;
    CHECK(ipt2nft::test::run(std::move(r)).diagnostics.find("[json-timeout]") != std::string::npos);
}

TEST_CASE(
    "rpfilter: a routing lookup of the source, by the input interface unless loose, as iptables-translate "
    "writes it") {
    CHECK(rule("iptables -t mangle -A PREROUTING -m rpfilter") ==
          "nft 'add rule ip mangle PREROUTING fib saddr . iif oif != 0 counter'");
    CHECK(rule("ip6tables -t raw -A PREROUTING -m rpfilter --validmark --invert -j DROP") ==
          "nft 'add rule ip6 raw PREROUTING fib saddr . mark . iif oif 0 counter drop'");
    CHECK(rule("iptables -t raw -A PREROUTING -m rpfilter --loose") ==
          "nft 'add rule ip raw PREROUTING fib saddr oif != 0 counter'");
    CHECK(refused_as("iptables -t raw -A PREROUTING -m rpfilter --accept-local", "untranslatable"));
    CHECK(refused_as("iptables -A INPUT -m rpfilter", "match-not-allowed"));
    CHECK(refused_as("iptables -t nat -A PREROUTING -m rpfilter", "match-not-allowed"));
    CHECK(refused_as("iptables -t mangle -A OUTPUT -m rpfilter", "match-not-allowed"));
}

TEST_CASE("quota: the rule's bytes up to the quota, or past it with !") {
    CHECK(rule("iptables -A OUTPUT -m quota --quota 111") == "nft 'add rule ip filter OUTPUT quota 111 bytes counter'");
    CHECK(rule("ip6tables -A OUTPUT -m quota ! --quota 0x10 -j DROP") ==
          "nft 'add rule ip6 filter OUTPUT quota over 16 bytes counter drop'");
    CHECK(refused_as("iptables -A INPUT -m quota", "missing-option"));
    // nft_quota takes at most 2^63 - 1 bytes.
    CHECK(rule("iptables -A INPUT -m quota --quota 9223372036854775808").starts_with("ERROR "));
}

TEST_CASE("u32: each test a 32-bit word at its offset, shifts folded into the mask and the values") {
    CHECK(rule_body("iptables -A INPUT -m u32 --u32 28=0xfefe0100") == "@nh,224,32 0xfefe0100 counter");
    CHECK(rule_body("iptables -A INPUT -m u32 --u32 '34&0xFFFFFF=0xFFFFFF'") ==
          "@nh,272,32 & 0xffffff == 0xffffff counter");
    // The IHL: (word >> 22) & 0x3c is the word's bits 24-27, four times; 20 bytes is 5.
    CHECK(rule_body("iptables -A INPUT -m u32 --u32 '0>>22&0x3C=20'") == "@nh,0,32 & 0xf000000 == 0x5000000 counter");
    // The protocol byte through a left and a right shift; values, ranges and sets, overlaps joined.
    CHECK(rule_body("iptables -A INPUT -m u32 --u32 '8<<8>>24=17'") == "@nh,64,32 & 0xff0000 == 0x110000 counter");
    CHECK(rule_body("iptables -A INPUT -m u32 --u32 ' 6 & 0xFF = 1 , 17:20,18:30 && 20>>16=40000:40001'") ==
          "@nh,48,32 & 0xff == { 0x1, 0x11-0x1e } @nh,160,32 & 0xffff0000 == 0x9c400000-0x9c410000 counter");
    // A left shift past the value's top keeps the bits that stay: 1 << 4 is 16 and more.
    CHECK(rule_body("iptables -A INPUT -m u32 --u32 '0<<4=16:0xffffffff'") ==
          "@nh,0,32 & 0xfffffff == 0x1-0xfffffff counter");
    CHECK(rule_body("ip6tables -A INPUT -m u32 --u32 '4>>8&0xFF=17'") == "@nh,32,32 & 0xff00 == 0x1100 counter");
    // Refused with the reason: a word found through another, '!', shifts of 32, tests that say nothing.
    CHECK(rule("iptables -A INPUT -m u32 --u32 '0>>22&0x3C@12=1'").find("an offset taken from the packet") !=
          std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 ! --u32 28=1").find("packets too short") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 '0>>32=0'").find("shifts by 32") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 '0>>28=16'").find("matches no value") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 '0&0=0'").find("keeps no bit") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 65533=1").find("offsets end at 65535") != std::string::npos);
    // Malformed programs, as libxt_u32 refuses them, at the character it stopped at.
    CHECK(rule("iptables -A INPUT -m u32 --u32 0").find("at char 1: the location has no \"=\"") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 0=").find("at char 2: expected a value") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 '0=1&2'").find("at char 3: expected \",\", \"&&\"") !=
          std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 0=0x100000000").find("a value within 32 bits") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 '0<1=1'").find("[bad-value]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m u32 --u32 '0=0,1,2,3,4,5,6,7,8,9,10'").find("too many \",\"s") !=
          std::string::npos);
}
