// Packet descriptions: the words, the bytes they make, and the errors that point at a word.
#include "sim/packet_description.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>

using namespace ipt2nft::sim;

namespace {

PacketSpec parsed(std::string_view text) {
    auto p = parse_packet(text);
    if (auto* e = std::get_if<DescriptionError>(&p)) FAIL(e->message);
    return std::get<PacketSpec>(p);
}

DescriptionError error(std::string_view text) {
    auto p = parse_packet(text);
    REQUIRE(std::holds_alternative<DescriptionError>(p));
    return std::get<DescriptionError>(p);
}

}  // namespace

TEST_CASE("a received TCP packet: interface, flow, flags; the bytes as the kernel reads them") {
    PacketSpec s = parsed("in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags SA mark 0x10");
    CHECK(s.in_interface == "eth0");
    CHECK(s.protocol == IPPROTO_TCP);
    CHECK(s.tcp_flags == 0x12);
    CHECK(s.mark == 0x10);
    Packet p(s);
    CHECK(p.bytes()[0] == 0x45);
    CHECK(p.bytes()[9] == IPPROTO_TCP);
    CHECK(p.transport_offset() == 20);
    CHECK(p.source_port() == 40000);
    CHECK(p.destination_port() == 22);
    CHECK(p.bytes()[20 + 13] == 0x12);
    CHECK(flow_text(p) == "tcp 198.51.100.7:40000 > 192.0.2.1:22");
    p.set_destination(Packet(parsed("udp 10.0.0.5:1 > 10.0.0.6:2")).source());
    CHECK(flow_text(p) == "tcp 198.51.100.7:40000 > 10.0.0.5:22");
}

TEST_CASE("IPv6 with ports in brackets; ICMP types by name; an error quoting its packet") {
    PacketSpec s = parsed("tcp [2001:db8::1]:443 > [2001:db8::2]:5000 flags A");
    CHECK(s.family == ipt2nft::Family::ipv6);
    CHECK(s.in_interface.empty());
    CHECK(Packet(s).transport_offset() == 40);
    CHECK(parsed("in eth0 icmpv6 fe80::1 > ff02::1 type nd-router-advert").icmp_type == 134);
    PacketSpec e = parsed(
        "in eth0 icmp 192.0.2.9 > 10.0.0.7 type destination-unreachable code 3 about udp 10.0.0.7:5000 > 192.0.2.9:53");
    REQUIRE(e.quoted);
    CHECK(e.quoted->destination_port == 53);
    Packet p(e);
    CHECK(p.icmp_error());
    CHECK(p.icmp_type() == 3);
}

TEST_CASE("wrong words are errors at their column") {
    CHECK(error("in eth0 tcp 1.2.3.4 > 5.6.7.8:22").column == 13);
    CHECK(error("tcp 1.2.3.4:1 > 5.6.7.8:22 flags SX").message.find("FSRPAUEC") != std::string::npos);
    CHECK(error("udp 1.2.3.4:1 > ::1:22").column == 17);
    CHECK(error("udp 1.2.3.4:1 > 5.6.7.8:2 colour red").column == 27);
    CHECK(error("in eth0 udp 1.2.3.4:1 > 5.6.7.8:2 uid 0").message.find("sends") != std::string::npos);
    CHECK(error("icmp 1.2.3.4 > 5.6.7.8 type").message.find("at the end") != std::string::npos);
    CHECK(error("").message.find("packet") != std::string::npos);
}
