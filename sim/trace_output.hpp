// A packet's trace written for people (text), for programs (JSON) and as a picture (Graphviz dot).
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "ir/source_manager.hpp"
#include "sim/trace.hpp"

namespace ipt2nft::sim {

void print_text(const Trace& trace, size_t number, const SourceManager& sources, std::ostream& out);
nlohmann::json to_json(const Trace& trace, const SourceManager& sources);
// All packets of a run, one cluster each.
void print_dot(const std::vector<Trace>& traces, const SourceManager& sources, std::ostream& out);

}  // namespace ipt2nft::sim
