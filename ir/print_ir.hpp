// The IR in a stable text form (`translate --format=ir`), for tests and bug reports.
#pragma once
#include <ostream>

#include "ir/ruleset.hpp"
#include "ir/source_manager.hpp"

namespace ipt2nft {

// Tables, chains and rules in order; each rule with its origin as file:line:col.
void print_ir(const Ruleset& ruleset, const SourceManager& sources, std::ostream& out);

}  // namespace ipt2nft
