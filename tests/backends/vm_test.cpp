// Unit tests of the kernel-expression lowering: programs as nft 1.0.6 generates them (each
// expected text is `nft --debug=netlink` output for the same rule).
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

namespace {

std::string netlink(const std::string& rules, const std::string& table = "filter") {
    return ipt2nft::test::written_as(ipt2nft::TranslateRequest::Format::netlink,
                                     "*" + table + "\n" + rules + "COMMIT\n");
}

}  // namespace

TEST_CASE("a port: nft's protocol test first, the port in network order") {
    CHECK(netlink("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n") ==
          "ip filter INPUT\n"
          "  [ meta load l4proto => reg 1 ]\n  [ cmp eq reg 1 0x00000006 ]\n"
          "  [ payload load 2b @ transport header + 2 => reg 1 ]\n  [ cmp eq reg 1 0x00001600 ]\n"
          "  [ counter pkts 0 bytes 0 ]\n  [ immediate reg 0 accept ]\n\n");
}

TEST_CASE("prefixes: whole bytes load only those, others are masked out of the whole field") {
    CHECK(netlink("-A INPUT -s 192.168.1.0/24\n").find("[ payload load 3b @ network header + 12 => reg 1 ]\n"
                                                       "  [ cmp eq reg 1 0x0001a8c0 ]") != std::string::npos);
    CHECK(netlink("-A INPUT -s 172.16.0.0/12\n").find("[ payload load 4b @ network header + 12 => reg 1 ]\n"
                                                      "  [ bitwise reg 1 = ( reg 1 & 0x0000f0ff ) ^ 0x00000000 ]\n"
                                                      "  [ cmp eq reg 1 0x000010ac ]") != std::string::npos);
    // /0, negated: the whole field under a mask of no bits, never 0 bytes.
    CHECK(netlink("-A INPUT ! -s 0.0.0.0/0\n").find("[ payload load 4b @ network header + 12 => reg 1 ]\n"
                                                     "  [ bitwise reg 1 = ( reg 1 & 0x00000000 ) ^ 0x00000000 ]\n"
                                                     "  [ cmp neq reg 1 0x00000000 ]") != std::string::npos);
}

TEST_CASE("neighbouring header fields tested for equality are one load, as nft merges them") {
    // ip protocol (byte 9) and ip ttl (byte 8), with a conntrack test between them.
    CHECK(netlink("-A OUTPUT -m conntrack --ctdir ORIGINAL -m ttl --ttl-eq 64 -p tcp -j DROP\n") ==
          "ip filter OUTPUT\n"
          "  [ payload load 2b @ network header + 8 => reg 1 ]\n  [ cmp eq reg 1 0x00000640 ]\n"
          "  [ ct load direction => reg 1 ]\n  [ cmp eq reg 1 0x00000000 ]\n"
          "  [ counter pkts 0 bytes 0 ]\n  [ immediate reg 0 drop ]\n\n");
}

TEST_CASE("conntrack states are bits of one mask; a list is an anonymous set") {
    CHECK(netlink("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED\n")
              .find("[ ct load state => reg 1 ]\n  [ bitwise reg 1 = ( reg 1 & 0x00000006 ) ^ 0x00000000 ]\n"
                    "  [ cmp neq reg 1 0x00000000 ]") != std::string::npos);
    CHECK(netlink("-A INPUT -p tcp -m multiport --dports 22,80 -j ACCEPT\n")
              .starts_with("__set%d filter 3 size 2\n__set%d filter 0\n"
                           "\telement 00001600  : 0 [end]\telement 00005000  : 0 [end]\n"));
}

TEST_CASE("NAT puts its address and port in registers first") {
    CHECK(netlink("-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.2:8080\n", "nat").find("[ immediate reg 1 0x0200000a ]\n  [ immediate reg 2 0x0000901f ]\n"
                        "  [ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]") != std::string::npos);
}

TEST_CASE("a conntrack match letting packets without a connection through is two kernel rules") {
    std::string out = netlink("-A INPUT -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
    CHECK(out.find("ip filter INPUT\n", 1) != std::string::npos);
    CHECK(out.find("[ bitwise reg 1 = ( reg 1 & 0x00000041 ) ^ 0x00000000 ]") != std::string::npos);
}
