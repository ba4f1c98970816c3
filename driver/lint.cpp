// lint: read and check as apply does, lower every rule, walk each table's chains as packet sets,
// then drop what the input or the command line silences.
#include "driver/lint.hpp"

#include <algorithm>
#include <array>

#include "analysis/chain_flow.hpp"
#include "analysis/dnat_findings.hpp"
#include "analysis/rule_findings.hpp"
#include "analysis/suppressions.hpp"
#include "sim/compiled_ruleset.hpp"

namespace ipt2nft {

namespace {

// Every table walked, its findings and those of its filter base chains added to `out`; then the
// redirects of each family's nat table against its filter table.
void analyse(const Ruleset& ruleset, const std::vector<analysis::KeptService>& keep, std::vector<Diagnostic>& out) {
    sim::CompiledRuleset compiled = sim::compile(ruleset);
    analysis::PacketSpace space;
    std::array<std::vector<analysis::Redirect>, 2> redirects;  // per family
    std::vector<analysis::TableFlow> flows;
    for (const auto& table : compiled.tables) {
        bool nat = table.name == "nat";
        std::vector<bool> from_outside = nat ? analysis::reached_from_prerouting(table) : std::vector<bool>{};
        auto& sent = redirects[static_cast<size_t>(table.family)];
        flows.push_back(
            analysis::walk_table(table, space, [&](const analysis::TableFlow& walked, const analysis::ChainWalk& walk) {
                analysis::chain_findings(table, walked, walk, out);
                if (nat && from_outside[walk.chain]) analysis::collect_redirects(table, walk, space, sent);
            }));
        analysis::hook_findings(table, flows.back(), keep, space, out);
    }
    for (size_t t = 0; t < compiled.tables.size(); ++t)
        if (compiled.tables[t].name == "filter")
            analysis::dnat_findings(compiled.tables[t], flows[t],
                                    redirects[static_cast<size_t>(compiled.tables[t].family)], out);
}

}  // namespace

LintResult lint(LintRequest request) {
    LintResult result;
    TranslateResult& translated = result.translated;
    if (!kernel_ruleset(request.input, translated)) return result;
    std::vector<Diagnostic> all(translated.diags.all().begin(), translated.diags.all().end());
    analyse(translated.ruleset, request.keep, all);
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
