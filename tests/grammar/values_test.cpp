// Unit tests of the value readers: ranges, bases, addresses, masks, interfaces.
#include "grammar/values.hpp"

#include <doctest/doctest.h>

using namespace ipt2nft;
using namespace ipt2nft::grammar;

namespace {
Word w(std::string_view t) {  // called with literals: the view stays valid
    return Word{t, Span{1, 0, 1}, false, false};
}
}  // namespace

TEST_CASE("numbers read like strtoul with base 0") {
    CHECK(parse_unsigned("10") == 10u);
    CHECK(parse_unsigned("0x10") == 16u);
    CHECK(parse_unsigned("010") == 8u);
    CHECK_FALSE(parse_unsigned("08"));
    CHECK_FALSE(parse_unsigned("1x"));
    CHECK_FALSE(parse_unsigned(""));
    // Leading white space and a '+' are passed over (seen with iptables-nft: --dport " +22");
    // trailing white space and a sign after a blank are not.
    CHECK(parse_unsigned(" +22") == 22u);
    CHECK(parse_unsigned("\t+0x16") == 22u);
    CHECK_FALSE(parse_unsigned("22 "));
    CHECK_FALSE(parse_unsigned("- 22"));
    CHECK_FALSE(parse_unsigned("+"));
}

TEST_CASE("ports: range checks instead of wrapping") {
    Diagnostics d;
    ValueReader r(d);
    CHECK(r.port(w("22"), "tcp") == 22);
    CHECK_FALSE(r.port(w("70000"), "tcp"));
    REQUIRE(d.all().size() == 1);
    CHECK(d.all()[0].code == "bad-port");
    CHECK(r.port_range(w("1000:"), "tcp") == std::pair<uint16_t, uint16_t>{1000, 65535});
    CHECK(r.port_range(w(":80"), "tcp") == std::pair<uint16_t, uint16_t>{0, 80});
    CHECK_FALSE(r.port_range(w("90:80"), "tcp"));
}

TEST_CASE("addresses and prefixes") {
    Diagnostics d;
    ValueReader r(d);
    auto p = r.prefix("10.11.12.13/255.255.0.0", Span{}, Family::ipv4);
    REQUIRE(p);
    CHECK(to_string(p->address) == "10.11.0.0");
    CHECK(prefix_length(p->mask) == 16u);
    auto q = r.prefix("10.11.12.13/255.0.255.0", Span{}, Family::ipv4);
    REQUIRE(q);
    CHECK_FALSE(prefix_length(q->mask));
    CHECK(prefix_length(r.prefix("0.0.0.0/255.254.0.0", Span{}, Family::ipv4)->mask) == 15u);
    CHECK_FALSE(prefix_length(r.prefix("0.0.0.0/255.255.128.1", Span{}, Family::ipv4)->mask));
    CHECK_FALSE(prefix_length(r.prefix("0.0.0.0/255.253.0.0", Span{}, Family::ipv4)->mask));
    CHECK(prefix_length(r.prefix("::/ffff:ffff:ffff:fff0::", Span{}, Family::ipv6)->mask) == 60u);
    CHECK_FALSE(r.prefix("10.0.0.0/33", Span{}, Family::ipv4));
    CHECK_FALSE(r.prefix("fe80::1", Span{}, Family::ipv4));
    CHECK(d.all().back().code == "family-mismatch");
    CHECK_FALSE(r.prefix("example.com", Span{}, Family::ipv4));
    CHECK(d.all().back().code == "host-name");
}

TEST_CASE("IPv4 addresses as iptables reads them: short forms, octal and hex bytes") {
    Diagnostics d;
    ValueReader r(d);
    auto text = [&](std::string_view s) {
        auto p = r.prefix(s, Span{}, Family::ipv4);
        return p ? to_string(p->address) + "/" + std::to_string(prefix_length(p->mask).value_or(99)) : "refused";
    };
    // As iptables-nft lists them after `iptables -A INPUT -s ...` (seen in a namespace).
    CHECK(text("0/0") == "0.0.0.0/0");
    CHECK(text("10.1") == "10.1.0.0/32");
    CHECK(text("10.1/16") == "10.1.0.0/16");
    CHECK(text("010.0.0.1") == "8.0.0.1/32");
    CHECK(text("0x0a.1.2.3") == "10.1.2.3/32");
    CHECK(text("1.2.3.4/255.255.0.0") == "1.2.0.0/16");
    CHECK(text("1.2.3.4/255.255") == "refused");  // a mask has four bytes
    CHECK(text("08.1.1.1") == "refused");
    CHECK(text("1.2.3.4.5") == "refused");
    CHECK(text("256.1.1.1") == "refused");
    CHECK(text("1..2.3") == "refused");
    // What is no address of iptables' own syntax goes to getaddrinfo, which takes inet_aton's
    // forms without DNS: one 32-bit number, or a last part for all the bytes left.
    CHECK(text("167772161") == "10.0.0.1/32");
    CHECK(text("0x0a000001/24") == "10.0.0.0/24");
    CHECK(text("1.300") == "1.0.1.44/32");
    CHECK(text("4294967296") == "refused");
    CHECK(text("0x") == "refused");
    // iprange and NAT look nothing up; NAT takes four decimal bytes alone (seen: "Bad IP address").
    using Syntax = ValueReader::AddressSyntax;
    CHECK_FALSE(r.address("167772161", Span{}, Family::ipv4, Syntax::numeric));
    CHECK(r.address("010.1", Span{}, Family::ipv4, Syntax::numeric)->bytes[0] == 8);
    for (const char* nat : {"1.2.3", "010.1.1.1", "1.2.3.04", "167772161"})
        CHECK_MESSAGE(!r.address(nat, Span{}, Family::ipv4, Syntax::strict), nat);
    CHECK(r.address("10.20.30.40", Span{}, Family::ipv4, Syntax::strict)->bytes[3] == 40);
    // The resolver takes an IPv6 zone, and iptables keeps the address alone (seen: fe80::1%lo).
    CHECK(r.address("fe80::1%lo", Span{}, Family::ipv6, Syntax::resolver)->bytes[15] == 1);
    CHECK(d.all().back().code == "address-zone");
    CHECK_FALSE(r.address("fe80::1%lo", Span{}, Family::ipv6, Syntax::strict));
}

TEST_CASE("an IPv4 address with missing bytes and no prefix length is one address: a warning says so") {
    auto warnings = [](std::string_view s) {
        Diagnostics d;
        ValueReader r(d);
        REQUIRE(r.prefix(s, Span{}, Family::ipv4));
        std::string codes;
        for (const auto& diag : d.all()) codes += diag.code + " ";
        return codes;
    };
    CHECK(warnings("10.1") == "short-address ");
    CHECK(warnings("167772161") == "short-address ");
    CHECK(warnings("010.1") == "octal-number short-address ");
    for (std::string_view quiet : {"10.1/16", "10.1.2.3", "0/0", "10.0.0.0/8"})
        CHECK_MESSAGE(warnings(quiet).empty(), quiet);
}

TEST_CASE("interfaces and marks") {
    Diagnostics d;
    ValueReader r(d);
    auto i = r.interface(w("eth+"));
    REQUIRE(i);
    CHECK(i->wildcard);
    CHECK(i->name == "eth");
    CHECK_FALSE(r.interface(w("averyveryverylongname")));
    size_t before = d.all().size();
    auto star = r.interface(w("veth*"));  // literal, as iptables matches it, and said to be so
    REQUIRE(star);
    CHECK(star->name == "veth*");
    CHECK_FALSE(star->wildcard);
    REQUIRE(d.all().size() == before + 1);
    CHECK(d.all().back().code == "literal-star");
    // iptables takes names no device can have, with at most a warning (seen); so does this, saying why.
    for (std::string_view impossible : {"eth0:1", "a b", "a/b"}) {
        auto named = r.interface(w(impossible));
        REQUIRE(named);
        CHECK(named->name == impossible);
        CHECK(d.all().back().code == "impossible-interface");
    }
    CHECK_FALSE(r.interface(w("")));
    CHECK(r.mark(w("0x10/0xf0")) == std::pair<uint32_t, uint32_t>{0x10, 0xf0});
    CHECK_FALSE(r.mark(w("0x100000000")));
}

TEST_CASE("MAC addresses: six bytes of one or two hex digits with ':', as iptables reads them") {
    Diagnostics d;
    ValueReader r(d);
    auto m = r.mac(w("00:1b:2C:aa:BB:ff"));
    REQUIRE(m);
    CHECK(m->bytes == std::array<uint8_t, 6>{0x00, 0x1b, 0x2c, 0xaa, 0xbb, 0xff});
    auto short_bytes = r.mac(w("0:1:2:a:b:f"));
    REQUIRE(short_bytes);
    CHECK(short_bytes->bytes == std::array<uint8_t, 6>{0x00, 0x01, 0x02, 0x0a, 0x0b, 0x0f});
    for (std::string_view bad : {"00:1b:2c:aa:bb:", "00:1b:2c:aa:bb:fff", "001b:2c:aa:bb:ff:", "+0:1b:2c:aa:bb:ff",
                                 "00-1b-2c-aa-bb-ff", "0g:1b:2c:aa:bb:ff", "0:1:2:3:4:5:6"})
        CHECK_FALSE(r.mac(w(bad)));
    CHECK(d.error_count() == 7);
}

TEST_CASE("a number iptables reads as octal gets a warning when its digits say another number") {
    auto warned = [](std::string_view text) {
        Diagnostics d;
        warn_if_octal(d, text, Span{1, 0, 1});
        CHECK(d.error_count() == 0);
        return d.all().empty() ? std::string() : d.all()[0].code + ": " + d.all()[0].message;
    };
    CHECK(warned("010") ==
          "octal-number: iptables reads '010' as an octal number, 8: write 8 if that is meant, or drop the leading 0");
    CHECK(warned(" +0777").find("'0777' as an octal number, 511") != std::string::npos);
    // The same number either way, hexadecimal, decimal, or no number at all: nothing to say.
    for (std::string_view same : {"0", "00", "007", "0x10", "10", "", "08", "ssh"})
        CHECK_MESSAGE(warned(same).empty(), same);
}

TEST_CASE("-c counts are decimal digits, as iptables reads them") {
    Diagnostics d;
    ValueReader r(d);
    CHECK(r.decimal_count(w("010"), "packet count") == 10u);
    CHECK(r.decimal_count(w("18446744073709551615"), "byte count") == UINT64_MAX);
    for (std::string_view bad : {"0x10", "+5", "", "1k", "18446744073709551616"})
        CHECK_MESSAGE(!r.decimal_count(w(bad), "packet count"), bad);
    CHECK(d.error_count() == 5);
}
