// Readers for option values (numbers, ports, addresses, interfaces, marks), each reporting a
// located error with a stable code when the text is not a valid value.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "grammar/word.hpp"
#include "ir/diagnostics.hpp"
#include "ir/values.hpp"

namespace ipt2nft::grammar {

// Parses like strtoul with base 0 (0x hex, leading-0 octal), as iptables reads most numbers.
std::optional<uint64_t> parse_unsigned(std::string_view text);
// iptables reads "010" as 8, silently: a warning where a number parse_unsigned takes is octal and
// its digits say another number in decimal. With `separators`, for each part between them ("010:020").
void warn_if_octal(Diagnostics& diags, std::string_view text, Span where, std::string_view separators = {});

// Names as iptables compares them (strcasecmp, strncasecmp): in any case.
bool starts_with_nocase(std::string_view text, std::string_view prefix);
bool equals_nocase(std::string_view a, std::string_view b);
std::string lower_case(std::string_view text);
// The first of `names`, in their order, that `word` begins in any case, as iptables reads many
// names (strncasecmp over the word's length); none for an empty word.
std::optional<size_t> first_begun_by(std::span<const std::string_view> names, std::string_view word);

// The protocol a port name is looked up for when any protocol's entry will do: iptables 1.8's
// udp and conntrack options take `-p udp --dport ssh` (22/tcp), its tcp and multiport ones do not.
inline constexpr std::string_view any_protocol = "any";

// A NAT target's port range; `base` set when the range is shifted (`80-90/100`).
struct NatPorts {
    uint16_t low, high;
    std::optional<uint16_t> base;
    Span base_span;
};

class ValueReader {
public:
    explicit ValueReader(Diagnostics& diags) : diags_(diags) {}

    std::optional<uint64_t> number(const Word& w, uint64_t min, uint64_t max, std::string_view what);
    // `a`, `a:b`, `a:` (a to max) and `:b` (0 to b), numbers as strtoull reads them in base 0, as
    // xtables reads a range option (esp's --espspi, connbytes' --connbytes); low above high refused.
    std::optional<std::pair<uint64_t, uint64_t>> number_range(const Word& w, uint64_t max, std::string_view what);
    // All decimal digits, 64-bit, as iptables reads the counts of -c (sscanf's %llu: "010" is 10,
    // "0x10" is 0 with the rest passed over, which is refused here).
    std::optional<uint64_t> decimal_count(const Word& w, std::string_view what);
    std::optional<uint16_t> port(const Word& w, std::string_view protocol);
    // `a`, `a:b`, `a:` and `:b`, as tcp/udp --sport and --dport take them.
    std::optional<std::pair<uint16_t, uint16_t>> port_range(const Word& w, std::string_view protocol,
                                                            char separator = ':');
    // `port[-port[/base]]` from w.text[at] on, as iptables' NAT targets read it: numbers as
    // strtoul reads them, a service name only as a whole bound.
    std::optional<NatPorts> nat_ports(const Word& w, size_t at);
    // `value[/mask]` for marks: both 32-bit.
    std::optional<std::pair<uint32_t, uint32_t>> mark(const Word& w);
    // How iptables reads an IPv4 address: its own numeric syntax (iprange: "10.1" is 10.1.0.0,
    // "010.0.0.1" 8.0.0.1); that, or else a host name lookup (-s, -d, conntrack's --ctorigsrc
    // ...), which makes every form inet_aton takes one too; or inet_pton's four decimal bytes
    // alone (the NAT targets: "1.2.3" and "010.0.0.1" refused, seen).
    enum class AddressSyntax { numeric, resolver, strict };
    std::optional<Address> address(std::string_view text, Span where, Family family, AddressSyntax syntax);
    // `addr[/len|/mask]`, masked; the address as -s and -d take it.
    std::optional<Prefix> prefix(std::string_view text, Span where, Family family);
    std::optional<InterfaceName> interface(const Word& w);
    std::optional<MacAddress> mac(const Word& w);
    // Protocol by name (tcp, udp, ...) or number; 0 means any.
    std::optional<uint8_t> protocol(const Word& w);

    Diagnostics& diags() { return diags_; }

private:
    Diagnostics& diags_;
};

// The match that tests this protocol's header (tcp, udp, icmp, icmp6, ...), empty if none.
std::string_view protocol_match(uint8_t number);
Span sub_span(const Word& w, size_t begin, size_t end);  // a part of an unquoted word
// The comma-separated items of a word, each a Word of its own with its own span.
Words split_list(const Word& w);

}  // namespace ipt2nft::grammar
