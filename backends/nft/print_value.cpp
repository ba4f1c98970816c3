// Values print by the data type nft gives their selector: marks in hex, ports in decimal,
// ICMP types and protocols by name, addresses with prefix lengths.
#include "backends/nft/print_value.hpp"

#include <fmt/format.h>

#include "backends/nft/nft_names.hpp"
#include "ir/protocols.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::nft {

namespace {

// The data type a value is printed by: the field's, but for the fragment offset, compared under
// a mask, and raw bits, both written in hex, and the connection's protocol, written as its number.
Datatype print_type(const Selector& s) {
    if (const auto* p = std::get_if<PayloadSelector>(&s); p && p->field == PayloadField::ip_frag_off)
        return Datatype::mark;
    if (std::holds_alternative<RawPayloadSelector>(s)) return Datatype::mark;
    if (const auto* c = std::get_if<CtSelector>(&s); c && c->key == CtKey::protocol) return Datatype::integer;
    if (std::holds_alternative<ConcatSelector>(s)) return Datatype::integer;
    return selector_datatype(s);
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

// nft's name of a bit or a value of a symbolic type, by the kernel's number.
std::string symbol_text(Datatype t, uint64_t n) {
    auto name = [&](std::initializer_list<std::pair<uint64_t, const char*>> names) {
        for (auto [number, word] : names)
            if (number == n) return std::string(word);
        return std::to_string(n);
    };
    switch (t) {
        case Datatype::ct_state:
            return name({{1, "invalid"}, {2, "established"}, {4, "related"}, {8, "new"}, {64, "untracked"}});
        case Datatype::ct_status:
            return name({{1, "expected"},
                         {2, "seen-reply"},
                         {4, "assured"},
                         {8, "confirmed"},
                         {16, "snat"},
                         {32, "dnat"},
                         {512, "dying"}});
        case Datatype::ct_direction: return name({{0, "original"}, {1, "reply"}});
        case Datatype::pkttype: return name({{0, "host"}, {1, "broadcast"}, {2, "multicast"}, {3, "other"}});
        // nft 1.0.6 has no names for throw, nat and xresolve (9-11): written as numbers
        // (`fib saddr type nat` does not load; seen).
        case Datatype::fib_addrtype:
            return name({{0, "unspec"},
                         {1, "unicast"},
                         {2, "local"},
                         {3, "broadcast"},
                         {4, "anycast"},
                         {5, "multicast"},
                         {6, "blackhole"},
                         {7, "unreachable"},
                         {8, "prohibit"}});
        case Datatype::boolean: return n ? "exists" : "missing";
        default: return std::to_string(n);
    }
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

void print_integer(Datatype t, uint64_t n, std::string& out) {
    switch (t) {
        case Datatype::mark:
        case Datatype::realm: fmt::format_to(std::back_inserter(out), "0x{:x}", n); return;
        // Whole seconds: the rules that compare times write them so.
        case Datatype::time_date: n /= 1'000'000'000; break;
        case Datatype::time_ms: print_milliseconds(n, out); return;
        case Datatype::inet_proto: out += protocol_text(n); return;
        case Datatype::icmp_type: out += icmp_type_text(n, false); return;
        case Datatype::icmpv6_type: out += icmp_type_text(n, true); return;
        case Datatype::tcp_flags: out += tcp_flags_text(n); return;
        case Datatype::ct_state:
        case Datatype::ct_status:
        case Datatype::ct_direction:
        case Datatype::pkttype:
        case Datatype::fib_addrtype:
        case Datatype::boolean: out += symbol_text(t, n); return;
        default: break;
    }
    fmt::format_int digits(n);
    out.append(digits.data(), digits.size());
}

void print_interface_word(const InterfaceName& n, std::string& out) {
    // nft reads a trailing '*' as a wildcard, so a literal one is escaped.
    if (!n.wildcard && n.name.ends_with('*')) {
        out += n.name.substr(0, n.name.size() - 1);
        out += "\\*";
    } else {
        out += n.name;
    }
    if (n.wildcard) out += '*';
}

void print_payload(const PayloadSelector& p, std::string& out, bool raw) {
    const PayloadDescriptor& d = describe(p.field);
    if ((raw && d.base == HeaderBase::transport) || d.field.empty()) {
        fmt::format_to(std::back_inserter(out), "@{},{},{}", raw_base_word(d.base), d.offset_bits, d.length_bits);
        return;
    }
    out += d.protocol;
    out += ' ';
    out += d.field;
}

void value_text(Datatype t, const Value& v, const Selector& s, std::string& out, bool raw) {
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
                           print_integer(Datatype::integer, *len, out);
                       }
                   },
                   [&](const MacAddress& m) {
                       fmt::format_to(std::back_inserter(out), "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m.bytes[0],
                                      m.bytes[1], m.bytes[2], m.bytes[3], m.bytes[4], m.bytes[5]);
                   },
                   [&](const InterfaceName& n) {
                       out += '"';
                       print_interface_word(n, out);
                       out += '"';
                   },
                   [&](const Range& r) {
                       // Symbolic names hold '-' (echo-reply, ipv6-icmp): a range's bounds are numbers.
                       bool named = t == Datatype::icmp_type || t == Datatype::icmpv6_type || t == Datatype::inet_proto;
                       Datatype bounds = named ? Datatype::integer : t;
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
                           if (cs && i < cs->parts().size())
                               print_value(part_selector(cs->parts()[i]), c.parts[i], out, raw);
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

std::optional<uint8_t> transport_protocol(const Selector& s) {
    const PayloadSelector* p = std::get_if<PayloadSelector>(&s);
    if (auto* c = std::get_if<ConcatSelector>(&s); c && !c->parts().empty())
        p = std::get_if<PayloadSelector>(&c->parts().front());
    if (!p || describe(p->field).base != HeaderBase::transport) return std::nullopt;
    return describe(p->field).ip_protocol;
}

void print_selector(const Selector& s, std::string& out, bool raw) {
    auto to = std::back_inserter(out);
    std::visit(overloaded{
                   [&](const PayloadSelector& p) { print_payload(p, out, raw); },
                   [&](const MetaSelector& m) {
                       const MetaDescriptor& d = describe(m.key);
                       fmt::format_to(to, "{}{}", d.bare ? "" : "meta ", d.word);
                   },
                   [&](const CtSelector& c) {
                       out += "ct ";
                       if (c.direction != CtDirection::none)
                           out += c.direction == CtDirection::original ? "original " : "reply ";
                       out += describe(c.key).word;
                   },
                   [&](const FibSelector& f) {
                       fmt::format_to(to, "fib {}", f.address == FibAddress::saddr ? "saddr" : "daddr");
                       if (f.mark) out += " . mark";
                       if (f.interface != FibInterface::none)
                           out += f.interface == FibInterface::iif ? " . iif" : " . oif";
                       out += f.result == FibResult::type ? " type" : " oif";
                   },
                   [&](const TcpOptionSelector& t) { fmt::format_to(to, "tcp option {}", t.kind); },
                   [&](const TcpMssSelector&) { out += "tcp option maxseg size"; },
                   [&](const OsfSelector& o) {
                       out += "osf ";
                       if (auto ttl = osf_ttl_name(o.ttl); !ttl.empty()) fmt::format_to(to, "ttl {} ", ttl);
                       out += "name";
                   },
                   [&](const NumgenSelector& n) { fmt::format_to(to, "numgen inc mod {}", n.modulus); },
                   [&](const RouteIpsecSelector&) { out += "rt ipsec"; },
                   [&](const RawPayloadSelector& r) { out += raw_payload_word(r); },
                   [&](const ConcatSelector& c) {
                       for (size_t i = 0; i < c.parts().size(); ++i) {
                           if (i) out += " . ";
                           print_selector(part_selector(c.parts()[i]), out, raw);
                       }
                   },
               },
               s);
}

void print_value(const Selector& s, const Value& v, std::string& out, bool raw) {
    bool raw_field = raw && transport_protocol(s);
    value_text(raw_field ? Datatype::integer : print_type(s), v, s, out, raw);
}

std::string value_word(const Selector& s, const Value& v, bool raw) {
    std::string out;
    if (auto* name = std::get_if<InterfaceName>(&v.v))
        print_interface_word(*name, out);
    else
        print_value(s, v, out, raw);
    return out;
}

}  // namespace ipt2nft::nft
