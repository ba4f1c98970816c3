// Kernel programs as JSON, for the compiled ruleset file: written whole, read back checked.
#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "backends/vm/expressions.hpp"
#include "util/text_store.hpp"

namespace ipt2nft::sim {

// What is wrong with a program read from a file, in words.
struct ProgramError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The expressions, one array each (its kind, then its fields in a fixed order), and the
// anonymous sets.
nlohmann::ordered_json program_json(const vm::Program& program);

// The program `json` holds, its names kept in `names`. Throws ProgramError when it is not one the
// kernel would hold: a register that is none, bytes past the registers, a set it does not have,
// a number out of its field's range. What passes cannot make the simulator read or write outside
// its registers and sets.
vm::Program read_program(const nlohmann::json& json, TextStore& names);

// A table's named set (an ipset, its elements with their timeouts), and read back checked.
nlohmann::ordered_json named_set_json(const vm::NamedSet& set);
vm::NamedSet read_named_set(const nlohmann::json& json, TextStore& names);
// Throws ProgramError where a lookup or set statement reads more of its registers than they
// hold for the key of the table's set it names.
void check_named_set_uses(const vm::Program& program, const std::vector<vm::NamedSet>& sets);

}  // namespace ipt2nft::sim
