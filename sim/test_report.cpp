// Test results as text and as JUnit XML (one testsuite, a testcase per case, failures with the trace).
#include "sim/test_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace ipt2nft::sim {

namespace {

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

std::string xml_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

size_t failed(const std::vector<CaseOutcome>& cases) {
    return static_cast<size_t>(
        std::count_if(cases.begin(), cases.end(), [](const CaseOutcome& c) { return !c.failures.empty(); }));
}

}  // namespace

void print_results(const std::vector<CaseOutcome>& cases, std::ostream& out) {
    for (const auto& c : cases) {
        if (c.failures.empty()) {
            out << fmt::format("ok   {}\n", c.name);
            continue;
        }
        out << fmt::format("FAIL {} ({}): {}\n", c.name, c.place, joined(c.failures));
        std::istringstream trace(c.trace);
        for (std::string line; std::getline(trace, line);) out << "     " << line << "\n";
    }
    size_t bad = failed(cases);
    out << fmt::format("{} passed, {} failed\n", cases.size() - bad, bad);
}

void write_junit(const std::vector<CaseOutcome>& cases, const std::string& suite, std::ostream& out) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format("<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", xml_escaped(suite),
                       cases.size(), failed(cases));
    for (const auto& c : cases) {
        out << fmt::format("  <testcase classname=\"{}\" name=\"{}\"", xml_escaped(suite), xml_escaped(c.name));
        if (c.failures.empty()) {
            out << "/>\n";
            continue;
        }
        out << fmt::format(">\n    <failure message=\"{}\">{}</failure>\n  </testcase>\n",
                           xml_escaped(joined(c.failures)), xml_escaped(c.trace));
    }
    out << "</testsuite>\n";
}

}  // namespace ipt2nft::sim
