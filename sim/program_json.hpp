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

}  // namespace ipt2nft::sim
