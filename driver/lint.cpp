// lint: read and check as apply does, lower every rule, walk each table's chains as packet sets,
// then drop what the input or the command line silences.
#include "driver/lint.hpp"

#include <algorithm>

#include "analysis/chain_flow.hpp"
#include "analysis/rule_findings.hpp"
#include "analysis/suppressions.hpp"
#include "sim/compiled_ruleset.hpp"

namespace ipt2nft {

LintResult lint(LintRequest request) {
    LintResult result;
    TranslateResult& translated = result.translated;
    if (!kernel_ruleset(request.input, translated)) return result;
    std::vector<Diagnostic> all(translated.diags.all().begin(), translated.diags.all().end());
    {
        sim::CompiledRuleset compiled = sim::compile(translated.ruleset);
        analysis::PacketSpace space;
        for (const auto& table : compiled.tables)
            analysis::walk_table(table, space, [&](const analysis::TableFlow& flow, const analysis::ChainWalk& walk) {
                analysis::chain_findings(table, flow, walk, all);
            });
    }
    auto silenced = [&](const Diagnostic& d) {
        return std::find(request.disabled.begin(), request.disabled.end(), d.code) != request.disabled.end() ||
               analysis::suppressed_inline(translated.sources, d);
    };
    std::erase_if(all, silenced);
    std::stable_sort(all.begin(), all.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair{a.span.file, a.span.begin} < std::pair{b.span.file, b.span.begin};
    });
    result.failing = static_cast<size_t>(
        std::count_if(all.begin(), all.end(), [&](const Diagnostic& d) { return d.severity >= request.fail_on; }));
    result.findings = std::move(all);
    translated.ok = true;
    return result;
}

}  // namespace ipt2nft
