// Printing selectors and values in nft's syntax, each value by the selector's data type.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "ir/condition.hpp"

namespace ipt2nft::nft {

// The IP protocol of the transport header the selector reads a field of (6 for `tcp dport`), if any.
std::optional<uint8_t> transport_protocol(const Selector& s);

// Each appends to `out`: a rule is printed into one buffer without a string per piece. With
// `raw`, transport header fields are written as their bits (`@th,16,16`) and values as numbers.
void print_selector(const Selector& s, std::string& out, bool raw = false);
void print_value(const Selector& s, const Value& v, std::string& out, bool raw = false);
void print_quoted(std::string_view text, std::string& out);  // an nft string literal; the caller removes '"'

// One value that is not a set, range or concatenation as nft reads it inside a string, the form of
// libnftables' JSON immediates: a number, a name, an address, an interface name without quotes.
std::string value_word(const Selector& s, const Value& v,
                       bool raw = false);  // an nft string literal; the caller removes '"'

}  // namespace ipt2nft::nft
