// Values print by the data type nft gives their selector: marks in hex, ports in decimal,
// ICMP types and protocols by name, addresses with prefix lengths.
#include "backends/nft/print_value.hpp"

#include <fmt/format.h>

#include "ir/protocols.hpp"

namespace ipt2nft::nft {

namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

enum class Type { decimal, hex, protocol, icmp_type, icmpv6_type, tcp_flags, text };

Type type_of(const Selector& s) {
    return std::visit(overloaded{
                          [](const PayloadSelector& p) {
                              if (p.protocol == "icmp" && p.field == "type") return Type::icmp_type;
                              if (p.protocol == "icmpv6" && p.field == "type") return Type::icmpv6_type;
                              if (p.field == "protocol") return Type::protocol;
                              if (p.protocol == "tcp" && p.field == "flags") return Type::tcp_flags;
                              if (p.field == "frag-off") return Type::hex;
                              return Type::decimal;
                          },
                          [](const MetaSelector& m) {
                              if (m.key == "mark") return Type::hex;
                              if (m.key == "l4proto") return Type::protocol;
                              return Type::decimal;
                          },
                          [](const CtSelector& c) { return c.key == "mark" ? Type::hex : Type::decimal; },
                          [](const FibSelector&) { return Type::text; },
                          [](const TcpOptionSelector&) { return Type::text; },
                          [](const NumgenSelector&) { return Type::decimal; },
                          [](const ConcatSelector&) { return Type::decimal; },
                      },
                      s);
}

std::string protocol_text(uint64_t n) {
    const Protocol* p = n <= 255 ? find_protocol(static_cast<uint8_t>(n)) : nullptr;
    return p && !p->nft_name.empty() ? std::string(p->nft_name) : std::to_string(n);
}

std::string icmp_type_text(uint64_t n, bool v6) {
    static const char* v4[] = {"echo-reply",
                               nullptr,
                               nullptr,
                               "destination-unreachable",
                               "source-quench",
                               "redirect",
                               nullptr,
                               nullptr,
                               "echo-request",
                               "router-advertisement",
                               "router-solicitation",
                               "time-exceeded",
                               "parameter-problem",
                               "timestamp-request",
                               "timestamp-reply",
                               "info-request",
                               "info-reply",
                               "address-mask-request",
                               "address-mask-reply"};
    if (!v6) return n < std::size(v4) && v4[n] ? v4[n] : std::to_string(n);
    switch (n) {
        case 1: return "destination-unreachable";
        case 2: return "packet-too-big";
        case 3: return "time-exceeded";
        case 4: return "parameter-problem";
        case 128: return "echo-request";
        case 129: return "echo-reply";
        case 130: return "mld-listener-query";
        case 131: return "mld-listener-report";
        case 132: return "mld-listener-done";
        case 133: return "nd-router-solicit";
        case 134: return "nd-router-advert";
        case 135: return "nd-neighbor-solicit";
        case 136: return "nd-neighbor-advert";
        case 137: return "nd-redirect";
        default: return std::to_string(n);
    }
}

std::string tcp_flags_text(uint64_t bits) {
    static const char* names[] = {"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"};
    std::string out;
    for (int i = 0; i < 8; ++i)
        if (bits & (1u << i)) {
            if (!out.empty()) out += ',';
            out += names[i];
        }
    return out.empty() ? "0x0" : out;
}

std::string integer_text(Type t, uint64_t n) {
    switch (t) {
        case Type::hex: return fmt::format("0x{:x}", n);
        case Type::protocol: return protocol_text(n);
        case Type::icmp_type: return icmp_type_text(n, false);
        case Type::icmpv6_type: return icmp_type_text(n, true);
        case Type::tcp_flags: return tcp_flags_text(n);
        default: return std::to_string(n);
    }
}

std::string interface_text(const InterfaceName& n) {
    std::string name(n.name);
    // nft reads a trailing '*' as a wildcard, so a literal one is escaped.
    if (!n.wildcard && !name.empty() && name.back() == '*') name.insert(name.size() - 1, "\\");
    if (n.wildcard) name += '*';
    return quote(name);
}

std::string value_text(Type t, const Value& v, const Selector& s) {
    return std::visit(
        overloaded{
            [&](uint64_t n) { return integer_text(t, n); },
            [](const Address& a) { return to_string(a); },
            [](const Prefix& p) {
                auto len = prefix_length(p.mask);
                unsigned full = p.address.family == Family::ipv4 ? 32 : 128;
                if (len && *len == full) return to_string(p.address);
                if (len) return fmt::format("{}/{}", to_string(p.address), *len);
                return to_string(p.address);  // non-contiguous masks print as `& mask ==`
            },
            [](const MacAddress& m) {
                return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m.bytes[0], m.bytes[1], m.bytes[2],
                                   m.bytes[3], m.bytes[4], m.bytes[5]);
            },
            [](const InterfaceName& n) { return interface_text(n); },
            [](const std::string& text) { return text; },
            [&](const Range& r) { return value_text(t, r.bounds[0], s) + "-" + value_text(t, r.bounds[1], s); },
            [&](const ValueSet& set) {
                std::string out = "{ ";
                for (size_t i = 0; i < set.elements.size(); ++i) {
                    if (i) out += ", ";
                    out += print_value(s, set.elements[i]);
                }
                return out + " }";
            },
            [&](const Concat& c) {
                const auto* cs = std::get_if<ConcatSelector>(&s);
                std::string out;
                for (size_t i = 0; i < c.parts.size(); ++i) {
                    if (i) out += " . ";
                    out += cs && i < cs->parts.size() ? print_value(Selector{cs->parts[i]}, c.parts[i])
                                                      : print_value(s, c.parts[i]);
                }
                return out;
            },
        },
        v.v);
}

}  // namespace

std::string quote(std::string_view text) {
    return fmt::format("\"{}\"", text);
}

std::string print_selector(const Selector& s) {
    return std::visit(overloaded{
                          [](const PayloadSelector& p) { return fmt::format("{} {}", p.protocol, p.field); },
                          [](const MetaSelector& m) {
                              if (m.key == "iifname" || m.key == "oifname" || m.key == "mark" || m.key == "pkttype" ||
                                  m.key == "skuid" || m.key == "skgid")
                                  return std::string(m.key);
                              return fmt::format("meta {}", m.key);
                          },
                          [](const CtSelector& c) {
                              return c.direction.empty() ? fmt::format("ct {}", c.key)
                                                         : fmt::format("ct {} {}", c.direction, c.key);
                          },
                          [](const FibSelector& f) {
                              return f.interface.empty() ? fmt::format("fib {} type", f.address)
                                                         : fmt::format("fib {} . {} type", f.address, f.interface);
                          },
                          [](const TcpOptionSelector& t) { return fmt::format("tcp option {}", t.kind); },
                          [](const NumgenSelector& n) { return fmt::format("numgen inc mod {}", n.modulus); },
                          [](const ConcatSelector& c) {
                              std::string out;
                              for (size_t i = 0; i < c.parts.size(); ++i)
                                  out += fmt::format("{}{} {}", i ? " . " : "", c.parts[i].protocol, c.parts[i].field);
                              return out;
                          },
                      },
                      s);
}

std::string print_value(const Selector& s, const Value& v) {
    return value_text(type_of(s), v, s);
}

}  // namespace ipt2nft::nft
