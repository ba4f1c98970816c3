// Printing selectors and values in nft's syntax, each value by the selector's data type.
#pragma once
#include <string>

#include "ir/condition.hpp"

namespace ipt2nft::nft {

// Each appends to `out`: a rule is printed into one buffer without a string per piece.
void print_selector(const Selector& s, std::string& out);
void print_value(const Selector& s, const Value& v, std::string& out);
void print_quoted(std::string_view text, std::string& out);  // an nft string literal; the caller removes '"'

}  // namespace ipt2nft::nft
