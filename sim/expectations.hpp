// A test case's expectations held against the trace of its last packet.
#pragma once
#include <string>
#include <vector>

#include "ir/source_manager.hpp"
#include "sim/test_suite.hpp"
#include "sim/trace.hpp"

namespace ipt2nft::sim {

// What the trace does not do of what is expected, each as `verdict is drop, expected accept`;
// empty when every expectation holds.
std::vector<std::string> unmet(const Expectation& expect, const Trace& trace, const SourceManager& sources);

}  // namespace ipt2nft::sim
