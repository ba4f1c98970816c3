// Shell variable names and `NAME=value` assignments, as the shell recognises them in a command.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "grammar/word.hpp"

namespace ipt2nft::grammar {

// The length of the shell variable name `text` starts with (letters, digits and '_', not a
// digit first); 0 when it starts with none.
size_t name_length(std::string_view text);

// Whether `w` is `NAME=value`; if so, its name and value.
bool is_assignment(const Word& w, std::string& name, std::string& value);
bool is_assignment(const Word& w);

}  // namespace ipt2nft::grammar
