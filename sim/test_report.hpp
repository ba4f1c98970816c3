// The results of a test file: a line per case and a summary for people, JUnit XML for CI systems.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace ipt2nft::sim {

struct CaseOutcome {
    std::string name;
    std::string place;                  // FILE:LINE of the case
    std::vector<std::string> failures;  // empty: passed
    std::string trace;                  // the last packet's trace as text
};

// `ok   NAME` or `FAIL NAME (FILE:LINE): why` with the trace, then `N passed, M failed`.
void print_results(const std::vector<CaseOutcome>& cases, std::ostream& out);
void write_junit(const std::vector<CaseOutcome>& cases, const std::string& suite, std::ostream& out);

}  // namespace ipt2nft::sim
