// The packet description's words: a small word-by-word reader, each keyword with its argument.
#include "sim/packet_description.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <charconv>
#include <map>
#include <vector>

#include "ir/protocols.hpp"

namespace ipt2nft::sim {

namespace {

struct Word {
    std::string_view text;
    size_t column;
};

std::vector<Word> split(std::string_view line) {
    std::vector<Word> words;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) words.push_back({line.substr(start, i - start), start + 1});
    }
    return words;
}

struct Failure {
    DescriptionError error;
};

[[noreturn]] void fail(const Word& w, std::string message) {
    throw Failure{{w.column, std::move(message)}};
}

uint64_t number(const Word& w, uint64_t most, std::string_view what) {
    uint64_t v = 0;
    std::string_view t = w.text;
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t.remove_prefix(2), base = 16;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
    if (ec != std::errc{} || end != t.data() + t.size() || v > most)
        fail(w, fmt::format("'{}' is not a {} (0 to {})", w.text, what, most));
    return v;
}

const std::map<std::string_view, uint8_t>& protocols() {
    static const std::map<std::string_view, uint8_t> names{
        {"tcp", IPPROTO_TCP},   {"udp", IPPROTO_UDP},   {"udplite", IPPROTO_UDPLITE}, {"sctp", IPPROTO_SCTP},
        {"dccp", IPPROTO_DCCP}, {"icmp", IPPROTO_ICMP}, {"icmpv6", IPPROTO_ICMPV6},   {"icmp6", IPPROTO_ICMPV6},
        {"esp", IPPROTO_ESP},   {"ah", IPPROTO_AH},     {"gre", IPPROTO_GRE},
    };
    return names;
}

std::optional<uint8_t> icmp_type_named(std::string_view name, bool v6) {
    static const std::map<std::string_view, uint8_t> v4{
        {"echo-reply", 0},       {"destination-unreachable", 3}, {"source-quench", 4},      {"redirect", 5},
        {"echo-request", 8},     {"time-exceeded", 11},          {"parameter-problem", 12}, {"timestamp-request", 13},
        {"timestamp-reply", 14},
    };
    static const std::map<std::string_view, uint8_t> v6names{
        {"destination-unreachable", 1}, {"packet-too-big", 2},        {"time-exceeded", 3},
        {"parameter-problem", 4},       {"echo-request", 128},        {"echo-reply", 129},
        {"mld-listener-query", 130},    {"mld-listener-report", 131}, {"mld-listener-done", 132},
        {"nd-router-solicit", 133},     {"nd-router-advert", 134},    {"nd-neighbor-solicit", 135},
        {"nd-neighbor-advert", 136},    {"nd-redirect", 137},         {"mld2-listener-report", 143},
    };
    const auto& names = v6 ? v6names : v4;
    auto it = names.find(name);
    return it == names.end() ? std::nullopt : std::optional<uint8_t>(it->second);
}

// `192.0.2.1`, `192.0.2.1:22`, `2001:db8::1`, `[2001:db8::1]:22`.
struct Endpoint {
    Address address;
    std::optional<uint16_t> port;
};

Endpoint endpoint(const Word& w) {
    std::string_view t = w.text;
    std::string_view host = t, port;
    if (!t.empty() && t[0] == '[') {
        size_t close = t.find(']');
        if (close == std::string_view::npos) fail(w, fmt::format("'{}' has no closing ']'", t));
        host = t.substr(1, close - 1);
        if (close + 1 < t.size()) {
            if (t[close + 1] != ':') fail(w, fmt::format("'{}': a port follows ']:'", t));
            port = t.substr(close + 2);
        }
    } else if (size_t colon = t.find(':'); colon != std::string_view::npos && t.find(':', colon + 1) == t.npos) {
        host = t.substr(0, colon);
        port = t.substr(colon + 1);
    }
    Endpoint e;
    std::string h(host);
    if (inet_pton(AF_INET, h.c_str(), e.address.bytes.data()) == 1) {
        e.address.family = Family::ipv4;
    } else if (inet_pton(AF_INET6, h.c_str(), e.address.bytes.data()) == 1) {
        e.address.family = Family::ipv6;
    } else {
        fail(w, fmt::format("'{}' is not an IPv4 or IPv6 address", host));
    }
    if (!port.empty()) e.port = static_cast<uint16_t>(number({port, w.column}, 65535, "port"));
    return e;
}

// A TCP flag's letter, by its bit: fin syn rst psh ack urg ece cwr.
constexpr std::string_view flag_letters = "FSRPAUEC";

uint8_t tcp_flags(const Word& w) {
    uint8_t flags = 0;
    if (w.text == "none") return 0;
    for (char c : w.text) {
        size_t bit = flag_letters.find(c);
        if (bit == std::string_view::npos)
            fail(w, fmt::format("'{}': TCP flags are letters of FSRPAUEC (fin syn rst psh ack urg ece cwr)", w.text));
        flags |= static_cast<uint8_t>(1u << bit);
    }
    return flags;
}

class Reader {
public:
    explicit Reader(std::vector<Word> words) : words_(std::move(words)) {}
    bool done() const { return at_ == words_.size(); }
    const Word& next(std::string_view expected) {
        if (done()) {
            Word end{"", words_.empty() ? 1 : words_.back().column + words_.back().text.size()};
            fail(end, fmt::format("expected {} at the end", expected));
        }
        return words_[at_++];
    }
    const Word& peek() const { return words_[at_]; }

private:
    std::vector<Word> words_;
    size_t at_ = 0;
};

uint8_t protocol_word(const Word& w) {
    auto it = protocols().find(w.text);
    if (it == protocols().end())
        fail(w,
             fmt::format("'{}' is not a protocol (tcp, udp, icmp, icmpv6, sctp, ...; `proto N` for others)", w.text));
    return it->second;
}

// PROTOCOL SOURCE > DESTINATION: the flow's words, shared by the packet and an ICMP error's quote.
template <typename Flow>
void read_flow(Reader& r, Flow& flow, uint8_t protocol) {
    flow.protocol = protocol;
    const Word& from_word = r.next("a source address");
    Endpoint from = endpoint(from_word);
    if (r.next("'>'").text != ">") fail(from_word, "the source and destination are separated by ' > '");
    const Word& to_word = r.next("a destination address");
    Endpoint to = endpoint(to_word);
    if (from.address.family != to.address.family) fail(to_word, "the source and destination are of different families");
    flow.source = from.address;
    flow.destination = to.address;
    bool ports = has_ports(protocol);
    if ((from.port || to.port) && !ports) fail(from_word, "only tcp, udp, udplite, sctp and dccp packets have ports");
    if (ports && (!from.port || !to.port)) fail(from.port ? to_word : from_word, "a port is needed: ADDRESS:PORT");
    flow.source_port = from.port.value_or(0);
    flow.destination_port = to.port.value_or(0);
}

uint8_t protocol_of(Reader& r) {
    const Word& w = r.next("a protocol");
    if (w.text == "proto") return static_cast<uint8_t>(number(r.next("a protocol number"), 255, "protocol number"));
    return protocol_word(w);
}

void read_option(Reader& r, const Word& w, PacketSpec& p) {
    bool v6 = p.family == Family::ipv6;
    auto arg = [&] { return r.next(fmt::format("a value after '{}'", w.text)); };
    if (w.text == "flags") {
        if (p.protocol != IPPROTO_TCP) fail(w, "only tcp packets have flags");
        p.tcp_flags = tcp_flags(arg());
    } else if (w.text == "type" || w.text == "code" || w.text == "id") {
        if (p.protocol != IPPROTO_ICMP && p.protocol != IPPROTO_ICMPV6)
            fail(w, fmt::format("only icmp packets have a {}", w.text));
        const Word& a = arg();
        if (w.text == "type") {
            auto named = icmp_type_named(a.text, v6);
            p.icmp_type = named ? *named : static_cast<uint8_t>(number(a, 255, "type"));
        } else if (w.text == "code") {
            p.icmp_code = static_cast<uint8_t>(number(a, 255, "code"));
        } else {
            p.icmp_id = static_cast<uint16_t>(number(a, 65535, "identifier"));
        }
    } else if (w.text == "mark") {
        p.mark = static_cast<uint32_t>(number(arg(), UINT32_MAX, "mark"));
    } else if (w.text == "ttl" || w.text == "hoplimit") {
        p.ttl = static_cast<uint8_t>(number(arg(), 255, "ttl"));
    } else if (w.text == "len") {
        p.payload_length = static_cast<uint32_t>(number(arg(), 65000, "payload length"));
    } else if (w.text == "uid" || w.text == "gid") {
        if (!p.in_interface.empty()) fail(w, "only packets the host sends have a socket's uid and gid");
        (w.text == "uid" ? p.uid : p.gid) = static_cast<uint32_t>(number(arg(), UINT32_MAX, w.text));
    } else if (w.text == "at") {
        const Word& a = arg();
        p.time = static_cast<double>(number(a, 1u << 30, "time in milliseconds")) / 1000.0;
    } else if (w.text == "mac") {
        const Word& a = arg();
        std::array<uint8_t, 6> mac{};
        unsigned b[6];
        if (std::sscanf(std::string(a.text).c_str(), "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4],
                        &b[5]) != 6)
            fail(a, fmt::format("'{}' is not a MAC address", a.text));
        for (int i = 0; i < 6; ++i) mac[i] = static_cast<uint8_t>(b[i]);
        p.source_mac = mac;
    } else if (w.text == "about") {
        if (p.protocol != IPPROTO_ICMP && p.protocol != IPPROTO_ICMPV6) fail(w, "only ICMP errors quote a packet");
        QuotedPacket q;
        read_flow(r, q, protocol_of(r));
        if (q.source.family != p.family) fail(w, "the quoted packet is of another family");
        p.quoted = q;
    } else {
        fail(w, fmt::format("unknown word '{}' (flags, type, code, id, mark, ttl, len, uid, gid, mac, at, about)",
                            w.text));
    }
}

}  // namespace

std::string describe(const PacketSpec& p) {
    std::string out = p.in_interface.empty() ? "" : "in " + p.in_interface + " ";
    out += flow_text(p.protocol, p.source, p.source_port, p.destination, p.destination_port);
    if (p.protocol == IPPROTO_TCP) {
        std::string letters;
        for (int bit = 0; bit < 8; ++bit)
            if (p.tcp_flags & (1 << bit)) letters += flag_letters[static_cast<size_t>(bit)];
        out += " flags " + (letters.empty() ? std::string("none") : letters);
    }
    if (p.protocol == IPPROTO_ICMP || p.protocol == IPPROTO_ICMPV6)
        out += fmt::format(" type {} code {} id {}", p.icmp_type, p.icmp_code, p.icmp_id);
    if (p.mark) out += fmt::format(" mark {:#x}", p.mark);
    if (p.ttl != 64) out += fmt::format(" ttl {}", p.ttl);
    if (p.payload_length) out += fmt::format(" len {}", p.payload_length);
    if (p.time > 0) out += fmt::format(" at {}", static_cast<uint64_t>(p.time * 1000 + 0.5));
    return out;
}

std::variant<PacketSpec, DescriptionError> parse_packet(std::string_view description) {
    try {
        Reader r(split(description));
        PacketSpec p;
        const Word* first = &r.next("a packet: [in IFACE] PROTOCOL SOURCE > DESTINATION ...");
        if (first->text == "in") {
            p.in_interface = std::string(r.next("an interface name").text);
            first = &r.next("a protocol");
        }
        uint8_t protocol = first->text == "proto"
                               ? static_cast<uint8_t>(number(r.next("a protocol number"), 255, "protocol number"))
                               : protocol_word(*first);
        read_flow(r, p, protocol);
        p.family = p.source.family;
        if (protocol == IPPROTO_ICMP && p.family == Family::ipv6) fail(*first, "an IPv6 packet is icmpv6");
        if (protocol == IPPROTO_ICMPV6 && p.family == Family::ipv4) fail(*first, "an IPv4 packet is icmp");
        if (protocol == IPPROTO_TCP) p.tcp_flags = 0x02;               // a SYN unless told
        if (protocol == IPPROTO_ICMP) p.icmp_type = 8, p.icmp_id = 1;  // echo-request
        if (protocol == IPPROTO_ICMPV6) p.icmp_type = 128, p.icmp_id = 1;
        while (!r.done()) read_option(r, r.next("a word"), p);
        return p;
    } catch (const Failure& f) {
        return f.error;
    }
}

}  // namespace ipt2nft::sim
