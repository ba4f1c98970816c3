// lint's findings written out: the diagnostic text, a JSON array, or SARIF 2.1.0 for code scanning.
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>

#include "driver/lint.hpp"

namespace ipt2nft {

// Each finding as the project's diagnostics (in a terminal's colours when `colour`), then a line
// counting them.
void write_lint_text(const LintResult& result, std::ostream& out, bool colour);
// One object per finding: code, severity, message, file, line, column, related.
nlohmann::json lint_json(const LintResult& result);
// One run of the tool "ipt2nft": its checks as rules, the findings as results, paths as given
// relative to the working directory.
nlohmann::json lint_sarif(const LintResult& result, std::string_view version);

}  // namespace ipt2nft
