// Captures read into packets: Ethernet and Linux cooked frames, IPv4 and IPv6, skipped frames said.
#include "sim/pcap_reader.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "sim/packet_description.hpp"

using namespace ipt2nft::sim;

namespace {

using Bytes = std::vector<uint8_t>;

void put(Bytes& b, uint32_t v, int bytes) {  // little-endian, as the file's own fields
    for (int i = 0; i < bytes; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// A capture file of link type `link` holding `frames`, a second apart; its path.
std::string capture(uint32_t link, const std::vector<Bytes>& frames) {
    Bytes file;
    put(file, 0xa1b2c3d4, 4), put(file, 2, 2), put(file, 4, 2), put(file, 0, 4), put(file, 0, 4);
    put(file, 65535, 4), put(file, link, 4);
    for (size_t i = 0; i < frames.size(); ++i) {
        put(file, static_cast<uint32_t>(100 + i), 4), put(file, 0, 4);
        put(file, static_cast<uint32_t>(frames[i].size()), 4), put(file, static_cast<uint32_t>(frames[i].size()), 4);
        file.insert(file.end(), frames[i].begin(), frames[i].end());
    }
    std::string path = "/tmp/ipt2nft-capture-" + std::to_string(getpid()) + "-" + std::to_string(link) + ".pcap";
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(file.data()), static_cast<long>(file.size()));
    return path;
}

Bytes ipv4_tcp_syn() {
    return {
        0x45, 0,    0, 40, 0, 0, 0, 0, 63, IPPROTO_TCP, 0, 0, 198,  51,   100,  7,    192, 0, 2, 1,   // IP, TTL 63
        0x9c, 0x40, 0, 22, 0, 0, 0, 0, 0,  0,           0, 0, 0x50, 0x02, 0xfa, 0xf0, 0,   0, 0, 0};  // 40000 > 22, SYN
}

Bytes ipv6_udp() {
    Bytes b{0x60, 0, 0, 0, 0, 12, IPPROTO_UDP, 64};
    for (int i = 0; i < 2; ++i) {  // 2001:db8::1, 2001:db8::2
        Bytes a{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(i + 1)};
        b.insert(b.end(), a.begin(), a.end());
    }
    Bytes udp{0x14, 0xe9, 0, 53, 0, 12, 0, 0, 'a', 'b', 'c', 'd'};  // 5353 > 53, four bytes
    b.insert(b.end(), udp.begin(), udp.end());
    return b;
}

}  // namespace

TEST_CASE("Ethernet frames: IP packets read, others left out with the reason, times from the first") {
    Bytes ether{2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};
    Bytes frame = ether;
    Bytes ip = ipv4_tcp_syn();
    frame.insert(frame.end(), ip.begin(), ip.end());
    Bytes arp = ether;
    arp[12] = 0x08, arp[13] = 0x06;
    arp.resize(42);
    std::string path = capture(1, {frame, arp, frame});  // DLT_EN10MB
    auto read = read_capture(path, "eth0");
    std::remove(path.c_str());
    REQUIRE(std::holds_alternative<Capture>(read));
    const Capture& c = std::get<Capture>(read);
    REQUIRE(c.packets.size() == 2);
    CHECK(describe(c.packets[0]) == "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags S ttl 63");
    CHECK(describe(c.packets[1]) == "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags S ttl 63 at 2000");
    CHECK(c.packets[0].source_mac == std::array<uint8_t, 6>{2, 0, 0, 0, 0, 2});
    REQUIRE(c.skipped.size() == 1);
    CHECK(c.skipped[0] == "frame 2: no IP packet (link type EN10MB)");
}

TEST_CASE("Linux cooked frames of IPv6; a description read back is the same packet") {
    Bytes frame(16, 0);
    frame[14] = 0x86, frame[15] = 0xdd;
    Bytes ip = ipv6_udp();
    frame.insert(frame.end(), ip.begin(), ip.end());
    std::string path = capture(113, {frame});  // DLT_LINUX_SLL
    auto read = read_capture(path, "");
    std::remove(path.c_str());
    REQUIRE(std::holds_alternative<Capture>(read));
    const Capture& c = std::get<Capture>(read);
    REQUIRE(c.packets.size() == 1);
    std::string words = describe(c.packets[0]);
    CHECK(words == "udp [2001:db8::1]:5353 > [2001:db8::2]:53 len 4");
    auto again = parse_packet(words);
    REQUIRE(std::holds_alternative<PacketSpec>(again));
    CHECK(describe(std::get<PacketSpec>(again)) == words);
}

TEST_CASE("a file that is not a capture is an error naming it") {
    auto read = read_capture("/nonexistent/x.pcap", "");
    REQUIRE(std::holds_alternative<std::string>(read));
    CHECK(std::get<std::string>(read).find("cannot read the capture '/nonexistent/x.pcap'") == 0);
}
