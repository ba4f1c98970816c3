// Values print by the data type nft gives their selector: marks in hex, ports in decimal,
// ICMP types and protocols by name, addresses with prefix lengths.
#include "backends/nft/print_value.hpp"

#include <fmt/format.h>

#include "ir/overloaded.hpp"
#include "ir/protocols.hpp"

namespace ipt2nft::nft {

namespace {

enum class Type { decimal, hex, milliseconds, protocol, icmp_type, icmpv6_type, tcp_flags, text };

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
                          [](const CtSelector& c) {
                              if (c.key == "expiration") return Type::milliseconds;
                              return c.key == "mark" ? Type::hex : Type::decimal;
                          },
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

// As nft writes a time (`49d17h2m47s295ms`): it refuses a large count of one unit ("value too
// large" for 100000000ms, seen with nft 1.0.6).
void print_milliseconds(uint64_t ms, std::string& out) {
    constexpr std::pair<uint64_t, const char*> units[] = {
        {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    if (ms == 0) out += "0ms";
    for (auto [size, name] : units)
        if (ms >= size) {
            fmt::format_to(std::back_inserter(out), "{}{}", ms / size, name);
            ms %= size;
        }
}

void print_integer(Type t, uint64_t n, std::string& out) {
    switch (t) {
        case Type::hex: fmt::format_to(std::back_inserter(out), "0x{:x}", n); return;
        case Type::milliseconds: print_milliseconds(n, out); return;
        case Type::protocol: out += protocol_text(n); return;
        case Type::icmp_type: out += icmp_type_text(n, false); return;
        case Type::icmpv6_type: out += icmp_type_text(n, true); return;
        case Type::tcp_flags: out += tcp_flags_text(n); return;
        case Type::decimal:
        case Type::text: break;
    }
    fmt::format_int digits(n);
    out.append(digits.data(), digits.size());
}

void print_interface(const InterfaceName& n, std::string& out) {
    out += '"';
    // nft reads a trailing '*' as a wildcard, so a literal one is escaped.
    if (!n.wildcard && n.name.ends_with('*')) {
        out += n.name.substr(0, n.name.size() - 1);
        out += "\\*";
    } else {
        out += n.name;
    }
    if (n.wildcard) out += '*';
    out += '"';
}

// Where a transport header field lies in its header, in bits: offset and length.
std::optional<std::pair<unsigned, unsigned>> transport_bits(const PayloadSelector& p) {
    if (p.field == "sport") return std::pair{0u, 16u};
    if (p.field == "dport") return std::pair{16u, 16u};
    if (p.protocol == "tcp" && p.field == "flags") return std::pair{104u, 8u};
    if ((p.protocol == "icmp" || p.protocol == "icmpv6") && p.field == "type") return std::pair{0u, 8u};
    if ((p.protocol == "icmp" || p.protocol == "icmpv6") && p.field == "code") return std::pair{8u, 8u};
    return std::nullopt;
}

void print_payload(const PayloadSelector& p, std::string& out, bool raw) {
    if (auto bits = raw ? transport_bits(p) : std::nullopt) {
        fmt::format_to(std::back_inserter(out), "@th,{},{}", bits->first, bits->second);
        return;
    }
    out += p.protocol;
    out += ' ';
    out += p.field;
}

void value_text(Type t, const Value& v, const Selector& s, std::string& out, bool raw) {
    std::visit(overloaded{
                   [&](uint64_t n) { print_integer(t, n, out); },
                   [&](const Address& a) { out += to_string(a); },
                   [&](const Prefix& p) {
                       out += to_string(p.address);
                       // A non-contiguous mask prints as `& mask ==` around the address alone.
                       auto len = prefix_length(p.mask);
                       unsigned full = p.address.family == Family::ipv4 ? 32 : 128;
                       if (len && *len != full) {
                           out += '/';
                           print_integer(Type::decimal, *len, out);
                       }
                   },
                   [&](const MacAddress& m) {
                       fmt::format_to(std::back_inserter(out), "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m.bytes[0],
                                      m.bytes[1], m.bytes[2], m.bytes[3], m.bytes[4], m.bytes[5]);
                   },
                   [&](const InterfaceName& n) { print_interface(n, out); },
                   [&](const std::string& text) { out += text; },
                   [&](const Range& r) {
                       // Symbolic names hold '-' (echo-reply, ipv6-icmp): a range's bounds are numbers.
                       bool named = t == Type::icmp_type || t == Type::icmpv6_type || t == Type::protocol;
                       Type bounds = named ? Type::decimal : t;
                       value_text(bounds, r.bounds[0], s, out, raw);
                       out += '-';
                       value_text(bounds, r.bounds[1], s, out, raw);
                   },
                   [&](const ValueSet& set) {
                       out += "{ ";
                       for (size_t i = 0; i < set.elements.size(); ++i) {
                           if (i) out += ", ";
                           print_value(s, set.elements[i], out, raw);
                       }
                       out += " }";
                   },
                   [&](const Concat& c) {
                       const auto* cs = std::get_if<ConcatSelector>(&s);
                       for (size_t i = 0; i < c.parts.size(); ++i) {
                           if (i) out += " . ";
                           if (cs && i < cs->parts.size())
                               print_value(Selector{cs->parts[i]}, c.parts[i], out, raw);
                           else
                               print_value(s, c.parts[i], out, raw);
                       }
                   },
               },
               v.v);
}

}  // namespace

void print_quoted(std::string_view text, std::string& out) {
    out += '"';
    out += text;
    out += '"';
}

std::optional<std::string_view> transport_header(const Selector& s) {
    const PayloadSelector* p = std::get_if<PayloadSelector>(&s);
    if (auto* c = std::get_if<ConcatSelector>(&s); c && !c->parts.empty()) p = &c->parts.front();
    if (!p || !transport_bits(*p)) return std::nullopt;
    return p->protocol;
}

void print_selector(const Selector& s, std::string& out, bool raw) {
    auto to = std::back_inserter(out);
    std::visit(overloaded{
                   [&](const PayloadSelector& p) { print_payload(p, out, raw); },
                   [&](const MetaSelector& m) {
                       if (m.key == "iifname" || m.key == "oifname" || m.key == "mark" || m.key == "pkttype" ||
                           m.key == "skuid" || m.key == "skgid")
                           out += m.key;
                       else
                           fmt::format_to(to, "meta {}", m.key);
                   },
                   [&](const CtSelector& c) {
                       if (c.direction.empty())
                           fmt::format_to(to, "ct {}", c.key);
                       else
                           fmt::format_to(to, "ct {} {}", c.direction, c.key);
                   },
                   [&](const FibSelector& f) {
                       if (f.interface.empty())
                           fmt::format_to(to, "fib {} type", f.address);
                       else
                           fmt::format_to(to, "fib {} . {} type", f.address, f.interface);
                   },
                   [&](const TcpOptionSelector& t) { fmt::format_to(to, "tcp option {}", t.kind); },
                   [&](const NumgenSelector& n) { fmt::format_to(to, "numgen inc mod {}", n.modulus); },
                   [&](const ConcatSelector& c) {
                       for (size_t i = 0; i < c.parts.size(); ++i) {
                           if (i) out += " . ";
                           print_payload(c.parts[i], out, raw);
                       }
                   },
               },
               s);
}

void print_value(const Selector& s, const Value& v, std::string& out, bool raw) {
    bool raw_field = raw && transport_header(s);
    value_text(raw_field ? Type::decimal : type_of(s), v, s, out, raw);
}

}  // namespace ipt2nft::nft
