// Printing selectors and values in nft's syntax, each value by the selector's data type.
#pragma once
#include <string>

#include "ir/condition.hpp"

namespace ipt2nft::nft {

std::string print_selector(const Selector& s);
std::string print_value(const Selector& s, const Value& v);
std::string quote(std::string_view text);  // an nft string literal; the caller removes '"'

}  // namespace ipt2nft::nft
