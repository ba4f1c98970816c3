// Frames of Ethernet, Linux cooked (v1, v2), raw IP and BSD loopback captures, down to the IP
// packet's fields sim describes packets by.
#include "sim/pcap_reader.hpp"

#include <fmt/format.h>
#include <netinet/in.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <memory>

namespace ipt2nft::sim {

namespace {

uint16_t get16(const u_char* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// Where the IP header starts in a frame of `link` type, or -1 when the frame holds none.
long ip_offset(int link, const u_char* frame, size_t length) {
    switch (link) {
        case DLT_EN10MB: {
            size_t at = 12;
            while (at + 2 <= length && (get16(frame + at) == 0x8100 || get16(frame + at) == 0x88a8))
                at += 4;  // VLAN tags
            if (at + 2 > length) return -1;
            uint16_t type = get16(frame + at);
            return type == 0x0800 || type == 0x86dd ? static_cast<long>(at + 2) : -1;
        }
        case DLT_LINUX_SLL: return length >= 16 ? 16 : -1;
        case DLT_LINUX_SLL2: return length >= 20 ? 20 : -1;
        case DLT_RAW:
#ifdef DLT_IPV4
        case DLT_IPV4:
        case DLT_IPV6:
#endif
            return 0;
        case DLT_NULL:
        case DLT_LOOP: return length >= 4 ? 4 : -1;
        default: return -1;
    }
}

// The transport fields after the IP header; false when the header is cut short.
bool read_transport(PacketSpec& s, const u_char* t, size_t length) {
    switch (s.protocol) {
        case IPPROTO_TCP:
            if (length < 20) return false;
            s.tcp_flags = t[13];
            [[fallthrough]];
        case IPPROTO_UDP:
        case IPPROTO_UDPLITE:
        case IPPROTO_SCTP:
        case IPPROTO_DCCP:
            if (length < 4) return false;
            s.source_port = get16(t);
            s.destination_port = get16(t + 2);
            return true;
        case IPPROTO_ICMP:
        case IPPROTO_ICMPV6:
            if (length < 8) return false;
            s.icmp_type = t[0];
            s.icmp_code = t[1];
            s.icmp_id = get16(t + 4);
            return true;
        default: return true;
    }
}

// The IP packet at `ip` as a description's fields; an empty string, or why it cannot be run.
std::string read_ip(PacketSpec& s, const u_char* ip, size_t length) {
    if (length < 1) return "an empty IP packet";
    size_t header = 0;
    if (ip[0] >> 4 == 4) {
        if (length < 20) return "an IPv4 header cut short";
        header = (ip[0] & 0x0f) * 4u;
        if (get16(ip + 6) & 0x1fff) return "a fragment that is not the first";
        s.family = Family::ipv4;
        s.ttl = ip[8];
        s.protocol = ip[9];
        std::copy_n(ip + 12, 4, s.source.bytes.begin());
        std::copy_n(ip + 16, 4, s.destination.bytes.begin());
    } else if (ip[0] >> 4 == 6) {
        if (length < 40) return "an IPv6 header cut short";
        header = 40;
        s.family = Family::ipv6;
        s.protocol = ip[6];
        s.ttl = ip[7];
        s.source.family = s.destination.family = Family::ipv6;
        std::copy_n(ip + 8, 16, s.source.bytes.begin());
        std::copy_n(ip + 24, 16, s.destination.bytes.begin());
    } else {
        return "not an IP packet";
    }
    if (header > length || !read_transport(s, ip + header, length - header)) return "a transport header cut short";
    size_t fixed = transport_header_length(s.protocol);
    s.payload_length = static_cast<uint32_t>(length > header + fixed ? length - header - fixed : 0);
    return "";
}

}  // namespace

std::variant<Capture, std::string> read_capture(const std::string& path, const std::string& in_interface) {
    char error[PCAP_ERRBUF_SIZE] = "";
    std::unique_ptr<pcap_t, decltype(&pcap_close)> capture(pcap_open_offline(path.c_str(), error), pcap_close);
    if (!capture) return fmt::format("cannot read the capture '{}': {}", path, error);
    int link = pcap_datalink(capture.get());
    Capture out;
    pcap_pkthdr* header = nullptr;
    const u_char* frame = nullptr;
    double first = -1;
    for (size_t n = 1;; ++n) {
        int got = pcap_next_ex(capture.get(), &header, &frame);
        if (got == PCAP_ERROR_BREAK) break;
        if (got != 1)
            return fmt::format("the capture '{}' is broken at frame {}: {}", path, n, pcap_geterr(capture.get()));
        double time = static_cast<double>(header->ts.tv_sec) + static_cast<double>(header->ts.tv_usec) / 1e6;
        if (first < 0) first = time;
        long at = ip_offset(link, frame, header->caplen);
        PacketSpec spec;
        spec.in_interface = in_interface;
        std::string why = at < 0 ? fmt::format("no IP packet (link type {})", pcap_datalink_val_to_name(link))
                                 : read_ip(spec, frame + at, header->caplen - static_cast<size_t>(at));
        if (!why.empty()) {
            out.skipped.push_back(fmt::format("frame {}: {}", n, why));
            continue;
        }
        if (link == DLT_EN10MB && !in_interface.empty()) {
            std::array<uint8_t, 6> mac{};
            std::copy_n(frame + 6, 6, mac.begin());
            spec.source_mac = mac;
        }
        spec.time = time - first;
        out.packets.push_back(spec);
    }
    return out;
}

}  // namespace ipt2nft::sim
