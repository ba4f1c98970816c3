// The checks lint reports, by their stable codes: what each finds and how to fix it.
#pragma once
#include <string_view>
#include <vector>

#include "ir/diagnostics.hpp"

namespace ipt2nft::analysis {

struct LintCheck {
    std::string_view code;
    Severity severity;  // its usual level; a finding may say less
    std::string_view summary, help;
};

const std::vector<LintCheck>& lint_checks();
const LintCheck* find_lint_check(std::string_view code);

}  // namespace ipt2nft::analysis
