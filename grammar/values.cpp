// Value readers: the range and syntax checks iptables would do, with precise locations.
#include "grammar/values.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>

#include "ir/protocols.hpp"
#include "util/suggest.hpp"

namespace ipt2nft::grammar {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    return prefix.size() <= text.size() && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool equals_nocase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && starts_with_nocase(a, b);
}

std::string lower_case(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower;
}

std::optional<size_t> first_begun_by(std::span<const std::string_view> names, std::string_view word) {
    if (word.empty()) return std::nullopt;
    for (size_t i = 0; i < names.size(); ++i)
        if (starts_with_nocase(names[i], word)) return i;
    return std::nullopt;
}

// The number at the start of `t` as strtoull reads it with base 0 (blanks and a '+' first; 0x
// hex when a hex digit follows, a leading 0 octal) and how much of `t` it takes; nullopt when no
// digit starts it or it overflows. libxtables' readers take that much and look at what follows.
static std::optional<std::pair<uint64_t, size_t>> leading_unsigned(std::string_view t) {
    auto digit = [](char c) -> unsigned {
        if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
        return 16;
    };
    size_t i = 0;
    while (i < t.size() && (t[i] == ' ' || (t[i] >= '\t' && t[i] <= '\r'))) ++i;
    if (i < t.size() && t[i] == '+') ++i;
    unsigned base = 10;
    if (i + 2 < t.size() && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X') && digit(t[i + 2]) < 16) {
        base = 16;
        i += 2;
    } else if (i < t.size() && t[i] == '0') {
        base = 8;
    }
    size_t first_digit = i;
    uint64_t v = 0;
    for (; i < t.size() && digit(t[i]) < base; ++i) {
        unsigned d = digit(t[i]);
        if (v > (UINT64_MAX - d) / base) return std::nullopt;
        v = v * base + d;
    }
    if (i == first_digit) return std::nullopt;
    return std::pair{v, i};
}

std::optional<uint64_t> parse_unsigned(std::string_view t) {
    // strtoul passes over leading white space and a '+' (iptables takes `--dport " +22"`).
    auto n = leading_unsigned(t);
    if (!n || n->second != t.size()) return std::nullopt;
    return n->first;
}

static void warn_if_octal_number(Diagnostics& diags, std::string_view text, Span where) {
    size_t first = 0;
    while (first < text.size() &&
           (text[first] == ' ' || text[first] == '+' || (text[first] >= '\t' && text[first] <= '\r')))
        ++first;
    if (first + 1 >= text.size() || text[first] != '0' || text[first + 1] < '0' || text[first + 1] > '9') return;
    auto n = leading_unsigned(text);
    if (!n || first + 1 >= n->second) return;
    std::string_view digits = text.substr(first, n->second - first);
    uint64_t decimal = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), decimal, 10);
    if (error != std::errc{} || end != digits.data() + digits.size() || decimal == n->first) return;
    diags.warning(where,
                  fmt::format("iptables reads '{}' as an octal number, {}: write {} if that is meant, or drop the "
                              "leading 0",
                              digits, n->first, n->first),
                  "octal-number");
}

void warn_if_octal(Diagnostics& diags, std::string_view text, Span where, std::string_view separators) {
    // Most numbers have no 0 before another digit at the start of a number: passed over at once.
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    bool may_be_octal = false;
    for (size_t zero = text.find('0'); zero != std::string_view::npos && !may_be_octal; zero = text.find('0', zero + 1))
        may_be_octal = zero + 1 < text.size() && digit(text[zero + 1]) && (zero == 0 || !digit(text[zero - 1]));
    if (!may_be_octal) return;
    auto separator = [&](char c) {
        return std::any_of(separators.begin(), separators.end(), [c](char s) { return s == c; });
    };
    for (size_t begin = 0, end = 0; begin <= text.size(); begin = end + 1) {
        for (end = begin; end < text.size() && !separator(text[end]);) ++end;
        warn_if_octal_number(diags, text.substr(begin, end - begin), where);
    }
}

Span sub_span(const Word& w, size_t begin, size_t end) {
    // Quoted or expanded words do not map byte for byte onto the source: point at the word.
    if (w.quoted || w.span.end - w.span.begin != w.text.size()) return w.span;
    return Span{w.span.file, w.span.begin + static_cast<uint32_t>(begin), w.span.begin + static_cast<uint32_t>(end)};
}

Words split_list(const Word& w) {
    Words items;
    size_t start = 0;
    while (true) {
        size_t comma = w.text.find(',', start);
        size_t end = comma == std::string::npos ? w.text.size() : comma;
        items.push_back(Word{w.text.substr(start, end - start), sub_span(w, start, end), w.quoted, false});
        if (comma == std::string::npos) return items;
        start = comma + 1;
    }
}

std::optional<uint64_t> ValueReader::number(const Word& w, uint64_t min, uint64_t max, std::string_view what) {
    auto v = parse_unsigned(w.text);
    if (!v) {
        diags_.error(w.span, fmt::format("'{}' is not a valid {}", w.text, what), "bad-number");
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        diags_.error(w.span, fmt::format("{} {} is out of range ({}-{})", what, w.text, min, max), "out-of-range");
        return std::nullopt;
    }
    warn_if_octal(diags_, w.text, w.span);
    return v;
}

std::optional<std::pair<uint64_t, uint64_t>> ValueReader::number_range(const Word& w, uint64_t max,
                                                                       std::string_view what) {
    std::string_view text = w.text;
    auto colon = text.find(':');
    std::string_view low = text.substr(0, colon);
    std::string_view high = colon == std::string_view::npos ? low : text.substr(colon + 1);
    auto lo = low.empty() && colon != std::string_view::npos ? std::optional<uint64_t>(0) : parse_unsigned(low);
    auto hi = high.empty() && colon != std::string_view::npos ? std::optional<uint64_t>(max) : parse_unsigned(high);
    if (!lo || !hi || *lo > max || *hi > max) {
        diags_.error(w.span, fmt::format("'{}' is not a {} or a range of them within 0-{}", text, what, max),
                     "bad-value");
        return std::nullopt;
    }
    if (*lo > *hi) {
        diags_.error(w.span, fmt::format("the {} range '{}' is empty: its low end is above its high end", what, text),
                     "bad-value");
        return std::nullopt;
    }
    warn_if_octal(diags_, text, w.span, ":");
    return std::pair{*lo, *hi};
}

std::optional<uint64_t> ValueReader::decimal_count(const Word& w, std::string_view what) {
    uint64_t v = 0;
    const char* end = w.text.data() + w.text.size();
    auto [stop, error] = std::from_chars(w.text.data(), end, v, 10);
    if (error == std::errc::result_out_of_range) {
        diags_.error(w.span, fmt::format("{} {} is out of range (0-{})", what, w.text, UINT64_MAX), "out-of-range");
        return std::nullopt;
    }
    if (w.text.empty() || error != std::errc{} || stop != end) {
        diags_.error(w.span, fmt::format("'{}' is not a valid {}: iptables reads it in decimal digits", w.text, what),
                     "bad-number");
        return std::nullopt;
    }
    return v;
}

// `protocol` empty: any protocol's entry.
static std::optional<uint16_t> service_port(std::string_view service, std::string_view protocol) {
    std::string name(service), proto(protocol);
    // The reentrant form: save files are read on several threads.
    servent entry{}, *found = nullptr;
    char buffer[1024];
    if (getservbyname_r(name.c_str(), proto.empty() ? nullptr : proto.c_str(), &entry, buffer, sizeof buffer, &found) ==
            0 &&
        found)
        return ntohs(static_cast<uint16_t>(found->s_port));
    return std::nullopt;
}

static std::optional<uint16_t> read_port(ValueReader& r, const Word& w, std::string_view text, size_t at,
                                         std::string_view protocol) {
    Span where = sub_span(w, at, at + text.size());
    if (text.empty()) {
        r.diags().error(where, "expected a port", "bad-port");
        return std::nullopt;
    }
    bool any = protocol == any_protocol;
    std::string_view digits = text.substr(text[0] == '+' ? 1 : 0);  // both readings take a '+' first
    if (!digits.empty() && std::isdigit(static_cast<unsigned char>(digits[0]))) {
        // tcp and multiport read numbers as strtoul base 0 (010 is 8); udp and conntrack through
        // getaddrinfo, in decimal (010 is 10, 0x10 no port). Seen with iptables-nft.
        std::optional<uint64_t> v;
        if (!any) {
            v = parse_unsigned(text);
        } else if (uint64_t n = 0; std::from_chars(digits.data(), digits.data() + digits.size(), n, 10).ptr ==
                                   digits.data() + digits.size()) {
            v = n;
        }
        if (!v) {
            r.diags().error(where, fmt::format("'{}' is not a valid port", text), "bad-port");
            return std::nullopt;
        }
        if (*v > 65535) {
            r.diags().error(where, fmt::format("port {} is out of range (0-65535)", text), "bad-port");
            return std::nullopt;
        }
        if (!any) warn_if_octal(r.diags(), text, where);
        return static_cast<uint16_t>(*v);
    }
    std::string_view proto = any ? "" : protocol.empty() ? "tcp" : protocol;
    if (auto p = service_port(text, proto)) return p;
    r.diags().error(where, fmt::format("unknown {}{}service '{}'", proto, proto.empty() ? "" : " ", text), "bad-port");
    return std::nullopt;
}

std::optional<uint16_t> ValueReader::port(const Word& w, std::string_view protocol) {
    return read_port(*this, w, w.text, 0, protocol);
}

std::optional<std::pair<uint16_t, uint16_t>> ValueReader::port_range(const Word& w, std::string_view protocol,
                                                                     char separator) {
    auto colon = w.text.find(separator);
    if (colon == std::string::npos) {
        auto p = port(w, protocol);
        if (!p) return std::nullopt;
        return std::pair{*p, *p};
    }
    std::string_view text = w.text;
    auto lo_text = text.substr(0, colon);
    auto hi_text = text.substr(colon + 1);
    std::optional<uint16_t> lo =
        lo_text.empty() ? std::optional<uint16_t>(0) : read_port(*this, w, lo_text, 0, protocol);
    std::optional<uint16_t> hi =
        hi_text.empty() ? std::optional<uint16_t>(65535) : read_port(*this, w, hi_text, colon + 1, protocol);
    if (!lo || !hi) return std::nullopt;
    if (*lo > *hi) {
        diags_.error(w.span, fmt::format("port range {} is inverted: {} is above {}", w.text, *lo, *hi), "bad-port");
        return std::nullopt;
    }
    return std::pair{*lo, *hi};
}

std::optional<NatPorts> ValueReader::nat_ports(const Word& w, size_t at) {
    std::string_view text = std::string_view(w.text).substr(at);
    auto span_from = [&](size_t from, size_t to) { return sub_span(w, at + from, at + to); };
    // One bound: a number up to 65535 followed by more, or else (not for the range's end) the
    // whole rest as a service name, so `http-https` is no range: iptables looks up a service of
    // that name (seen: `http` alone and `80-90/https` taken, `http-https` and `80-https` refused).
    size_t pos = 0;
    auto bound = [&](uint64_t min, bool name) -> std::optional<uint16_t> {
        std::string_view rest = text.substr(pos);
        if (auto n = leading_unsigned(rest)) {
            if (n->first >= min && n->first <= 65535) {
                warn_if_octal(diags_, rest.substr(0, n->second), span_from(pos, pos + n->second));
                pos += n->second;
                return static_cast<uint16_t>(n->first);
            }
            diags_.error(span_from(pos, pos + n->second),
                         fmt::format("port {} is out of range ({}-65535)", rest.substr(0, n->second), min), "bad-port");
            return std::nullopt;
        }
        auto p = rest.empty() || !name ? std::nullopt : service_port(rest, "");
        if (!p || *p < min) {
            diags_.error(span_from(pos, text.size()),
                         rest.empty() ? std::string("expected a port")
                                      : fmt::format("'{}' is not a port: {}", rest,
                                                    name ? "a number or a service name" : "a number"),
                         "bad-port");
            return std::nullopt;
        }
        pos = text.size();
        return p;
    };
    auto after = [&](std::string_view allowed) {
        if (pos == text.size() || allowed.find(text[pos]) != std::string_view::npos) return true;
        diags_.error(span_from(pos, text.size()),
                     text[pos] == ':' ? std::string("a port range in a NAT target is written with '-'")
                                      : fmt::format("unexpected '{}' after the port", text.substr(pos)),
                     "bad-port");
        return false;
    };
    NatPorts ports{};
    auto low = bound(0, true);
    if (!low || !after("-")) return std::nullopt;
    ports.low = ports.high = *low;
    if (pos == text.size()) return ports;
    ++pos;
    auto high = bound(0, false);
    if (!high) return std::nullopt;
    if (*high < *low) {
        diags_.error(span_from(0, pos),
                     fmt::format("port range {} is inverted: {} is above {}", text.substr(0, pos), *low, *high),
                     "bad-port");
        return std::nullopt;
    }
    if (!after("/")) return std::nullopt;
    ports.high = *high;
    if (pos == text.size()) return ports;
    size_t base_begin = ++pos;
    auto base = bound(1, true);
    if (!base || !after("")) return std::nullopt;
    ports.base = *base;
    ports.base_span = span_from(base_begin - 1, pos);
    return ports;
}

std::optional<std::pair<uint32_t, uint32_t>> ValueReader::mark(const Word& w) {
    auto slash = w.text.find('/');
    std::string_view text = w.text;
    auto value_text = text.substr(0, slash);
    auto v = parse_unsigned(value_text);
    if (!v || *v > UINT32_MAX) {
        diags_.error(sub_span(w, 0, value_text.size()), fmt::format("'{}' is not a valid 32-bit mark", value_text),
                     "bad-mark");
        return std::nullopt;
    }
    warn_if_octal(diags_, value_text, sub_span(w, 0, value_text.size()));
    uint64_t mask = UINT32_MAX;
    if (slash != std::string::npos) {
        auto mask_text = text.substr(slash + 1);
        auto m = parse_unsigned(mask_text);
        if (!m || *m > UINT32_MAX) {
            diags_.error(sub_span(w, slash + 1, w.text.size()),
                         fmt::format("'{}' is not a valid 32-bit mask", mask_text), "bad-mark");
            return std::nullopt;
        }
        warn_if_octal(diags_, mask_text, sub_span(w, slash + 1, w.text.size()));
        mask = *m;
    }
    return std::pair{static_cast<uint32_t>(*v), static_cast<uint32_t>(mask)};
}

static bool looks_like_hostname(std::string_view t) {
    return !t.empty() &&
           std::any_of(t.begin(), t.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }) &&
           t.find(':') == std::string_view::npos;
}

// An IPv4 address as iptables reads one: up to four dot-separated bytes, each decimal, octal
// (leading 0) or hexadecimal (0x); missing trailing bytes are zero ("0/0", "10.1/16" is
// 10.1.0.0/16), except in a mask, which needs all four. Seen with iptables-nft: "10.1" is
// 10.1.0.0, "010.0.0.1" is 8.0.0.1.
static std::optional<std::array<uint8_t, 4>> iptables_ipv4(std::string_view text, bool mask) {
    std::array<uint8_t, 4> bytes{};
    size_t count = 0;
    for (size_t begin = 0;; ++count) {
        size_t dot = text.find('.', begin);
        std::string_view part =
            text.substr(begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
        auto value = count < 4 ? parse_unsigned(part) : std::nullopt;
        if (!value || *value > 255) return std::nullopt;
        bytes[count] = static_cast<uint8_t>(*value);
        if (dot == std::string_view::npos) break;
        begin = dot + 1;
    }
    if (mask && count != 3) return std::nullopt;
    return bytes;
}

// getaddrinfo reads a name as an IPv4 address, without asking DNS, when inet_aton takes all of
// it: one number for all 32 bits ("167772161", "0x0a000001"), or a last part for the bytes left
// ("1.300" is 1.0.1.44). Seen with iptables-nft: -s takes all three.
static std::optional<std::array<uint8_t, 4>> resolver_ipv4(std::string_view text) {
    in_addr parsed{};
    if (text.empty() ||
        std::any_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }) ||
        inet_aton(std::string(text).c_str(), &parsed) == 0)
        return std::nullopt;
    std::array<uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &parsed.s_addr, bytes.size());  // network order: the first byte first
    return bytes;
}

std::optional<Address> ValueReader::address(std::string_view text, Span where, Family family, AddressSyntax syntax) {
    Address a;
    std::optional<std::array<uint8_t, 4>> v4;
    if (syntax != AddressSyntax::strict)
        v4 = iptables_ipv4(text, false);
    else if (std::array<uint8_t, 4> bytes{}; inet_pton(AF_INET, std::string(text).c_str(), bytes.data()) == 1)
        v4 = bytes;
    if (!v4 && syntax == AddressSyntax::resolver) v4 = resolver_ipv4(text);
    if (v4) {
        if (syntax != AddressSyntax::strict) warn_if_octal(diags_, text, where, ".");  // both readings: octal bytes
        a.family = Family::ipv4;
        std::copy(v4->begin(), v4->end(), a.bytes.begin());
    } else if (inet_pton(AF_INET6, std::string(text).c_str(), a.bytes.data()) == 1) {
        a.family = Family::ipv6;
    } else if (auto percent = text.find('%');
               syntax == AddressSyntax::resolver && percent != std::string_view::npos &&
               inet_pton(AF_INET6, std::string(text.substr(0, percent)).c_str(), a.bytes.data()) == 1) {
        // The resolver takes a zone (`fe80::1%eth0`, `%2`) and iptables keeps the address alone
        // (seen: -s fe80::1%lo is fe80::1/128).
        a.family = Family::ipv6;
        diags_.warning(
            where, fmt::format("iptables keeps the address of '{}' without its zone '{}'", text, text.substr(percent)),
            "address-zone");
    } else {
        if (syntax == AddressSyntax::resolver && looks_like_hostname(text))
            diags_.error(
                where,
                fmt::format("'{}' is a host name: iptables resolves names once at load time; write the address", text),
                "host-name");
        else
            diags_.error(where, fmt::format("'{}' is not a valid address", text), "bad-address");
        return std::nullopt;
    }
    if (a.family != family) {
        diags_.error(where,
                     fmt::format("{} address '{}' in an {} ruleset", a.family == Family::ipv4 ? "IPv4" : "IPv6", text,
                                 family == Family::ipv4 ? "IPv4" : "IPv6"),
                     "family-mismatch");
        return std::nullopt;
    }
    return a;
}

std::optional<Prefix> ValueReader::prefix(std::string_view text, Span where, Family family) {
    auto slash = text.find('/');
    auto addr = address(text.substr(0, slash), where, family, AddressSyntax::resolver);
    if (!addr) return std::nullopt;
    // "10.1" is 10.1.0.0 alone, not the network it looks like (seen with iptables-nft).
    if (slash == std::string_view::npos && family == Family::ipv4 && std::count(text.begin(), text.end(), '.') < 3)
        diags_.warning(where,
                       fmt::format("iptables reads '{}' as the one address {}: add a prefix length if a network is "
                                   "meant",
                                   text, to_string(*addr)),
                       "short-address");
    Address mask = mask_of_length(family, family == Family::ipv4 ? 32 : 128);
    if (slash != std::string_view::npos) {
        auto m = text.substr(slash + 1);
        unsigned max = family == Family::ipv4 ? 32 : 128;
        bool hex = m.size() > 2 && m[0] == '0' && (m[1] == 'x' || m[1] == 'X');
        if (hex || (!m.empty() && std::all_of(m.begin(), m.end(),
                                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))) {
            // iptables reads a length as strtoul base 0 does: /010 is /8, /0x10 is /16, /08 no length
            // (seen with iptables-nft and ip6tables-nft).
            auto len = parse_unsigned(m);
            if (!len) {
                diags_.error(where, fmt::format("'{}' is not a valid mask", m), "bad-prefix");
                return std::nullopt;
            }
            if (*len > max) {
                diags_.error(where, fmt::format("prefix length /{} is out of range (0-{})", m, max), "bad-prefix");
                return std::nullopt;
            }
            warn_if_octal(diags_, m, where);
            mask = mask_of_length(family, static_cast<unsigned>(*len));
        } else {
            Address parsed;
            bool valid = false;
            if (family == Family::ipv4) {
                auto v4 = iptables_ipv4(m, true);
                if ((valid = v4.has_value())) std::copy(v4->begin(), v4->end(), parsed.bytes.begin());
            } else {
                valid = inet_pton(AF_INET6, std::string(m).c_str(), parsed.bytes.data()) == 1;
            }
            if (!valid) {
                diags_.error(where, fmt::format("'{}' is not a valid mask", m), "bad-prefix");
                return std::nullopt;
            }
            parsed.family = family;
            mask = parsed;
        }
    }
    return Prefix{apply_mask(*addr, mask), mask};
}

std::optional<InterfaceName> ValueReader::interface(const Word& w) {
    InterfaceName n;
    n.name = w.text;
    if (!n.name.empty() && n.name.back() == '+') {
        n.wildcard = true;
        n.name.remove_suffix(1);
    }
    // The kernel keeps IFNAMSIZ (16) bytes with the terminating NUL.
    if (w.text.size() > 15) {
        diags_.error(w.span, fmt::format("interface name '{}' is longer than 15 characters", w.text), "bad-interface");
        return std::nullopt;
    }
    if (w.text.empty()) {
        diags_.error(w.span, "empty interface name", "bad-interface");
        return std::nullopt;
    }
    // Names iptables takes that cannot mean what they seem: said, not refused. The kernel names
    // no device with '/', ':' or white space (dev_valid_name; iptables warns of '/' and ' ' only):
    // `eth0:1` is an address label of eth0, not an interface. `-i eth*` is a common slip.
    struct Slip {
        std::string_view characters, message, code;
    };
    constexpr Slip slips[] = {
        {"/: \t\n\v\f\r",
         "no interface can be named '{}' (the kernel refuses '/', ':' and blanks in device names): no packet "
         "passes one so named",
         "impossible-interface"},
        {"*", "'*' in interface name '{}' matches only a '*': the wildcard of iptables is a final '+' (eth+)",
         "literal-star"}};
    for (const Slip& slip : slips)
        if (n.name.find_first_of(slip.characters) != std::string_view::npos)
            diags_.warning(w.span, fmt::format(fmt::runtime(slip.message), w.text), std::string(slip.code));
    return n;
}

std::optional<MacAddress> ValueReader::mac(const Word& w) {
    // Six bytes of one or two hex digits each, as iptables reads them (0:1:2:a:b:c too).
    MacAddress m;
    const char* at = w.text.data();
    const char* end = at + w.text.size();
    bool ok = true;
    for (size_t i = 0; ok && i < 6; ++i) {
        auto [next, error] = std::from_chars(at, end, m.bytes[i], 16);
        ok = error == std::errc() && next - at >= 1 && next - at <= 2 &&
             std::isxdigit(static_cast<unsigned char>(*at)) && (i == 5 ? next == end : next < end && *next == ':');
        at = next + 1;
    }
    if (!ok) {
        diags_.error(w.span, fmt::format("'{}' is not a MAC address (six hex bytes with ':')", w.text), "bad-mac");
        return std::nullopt;
    }
    return m;
}

namespace {
struct ProtocolName {
    std::string_view name;
    uint8_t number;
};
// iptables knows these without /etc/protocols; the first name of a number is nft's name for it.
constexpr ProtocolName known_protocols[] = {
    {"all", 0},       {"icmp", 1},      {"igmp", 2},   {"tcp", 6},        {"udp", 17},    {"ipv6", 41},
    {"gre", 47},      {"esp", 50},      {"ah", 51},    {"ipv6-icmp", 58}, {"icmpv6", 58}, {"icmp6", 58},
    {"ospf", 89},     {"pim", 103},     {"vrrp", 112}, {"l2tp", 115},     {"sctp", 132},  {"mh", 135},
    {"ipv6-mh", 135}, {"udplite", 136}, {"dccp", 33},  {"ipip", 4},       {"comp", 108},  {"ipcomp", 108},
};
}  // namespace

std::optional<uint8_t> ValueReader::protocol(const Word& w) {
    std::string lower = lower_case(w.text);
    for (const auto& p : known_protocols)
        if (p.name == lower) return p.number;
    if (auto v = parse_unsigned(lower)) {
        if (*v > 255) {
            diags_.error(w.span, fmt::format("protocol {} is out of range (0-255)", w.text), "bad-protocol");
            return std::nullopt;
        }
        return static_cast<uint8_t>(*v);
    }
    protoent entry{}, *found = nullptr;
    char buffer[1024];
    if (getprotobyname_r(lower.c_str(), &entry, buffer, sizeof buffer, &found) == 0 && found)
        return static_cast<uint8_t>(found->p_proto);
    std::vector<std::string_view> names;
    for (const auto& p : known_protocols) names.push_back(p.name);
    diags_.error(w.span, fmt::format("unknown protocol '{}'{}", w.text, did_you_mean(lower, names)), "bad-protocol");
    return std::nullopt;
}

std::string_view protocol_match(uint8_t number) {
    const Protocol* p = find_protocol(number);
    return p ? p->match : std::string_view{};
}

}  // namespace ipt2nft::grammar
