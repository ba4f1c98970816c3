// The lint pipeline: the ruleset apply would send, analysed as packet sets; findings, not output.
#pragma once
#include <string>
#include <vector>

#include "analysis/hook_findings.hpp"
#include "driver/translate.hpp"

namespace ipt2nft {

struct LintRequest {
    TranslateRequest input;             // the rules; its format is not used
    std::vector<std::string> disabled;  // codes left out (--disable)
    Severity fail_on = Severity::warning;
    std::vector<analysis::KeptService> keep;  // --keep: none, SSH is checked as a note
};

struct LintResult {
    TranslateResult translated;        // ok: the input had no errors and was analysed
    std::vector<Diagnostic> findings;  // the checks' warnings and lint's findings, in source order
    size_t failing = 0;                // findings at or above fail_on
};

LintResult lint(LintRequest request);

}  // namespace ipt2nft
