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

// Every table walked, its findings and those of its filter base chains added to `out`; filter
// tables first, so that each family's nat table can follow its redirects there.
void analyse(const Ruleset& ruleset, const std::vector<analysis::KeptService>& keep, std::vector<Diagnostic>& out) {
    sim::CompiledRuleset compiled = sim::compile(ruleset);
    analysis::PacketSpace space;
    std::array<analysis::FilterPassage, 2> passages;  // per family
    std::vector<const sim::CompiledTable*> order;
    for (const auto& table : compiled.tables)
        if (table.name == "filter") order.push_back(&table);
    for (const auto& table : compiled.tables)
        if (table.name != "filter") order.push_back(&table);
    for (const sim::CompiledTable* table : order) {
        bool nat = table->name == "nat";
        std::vector<bool> from_outside = nat ? analysis::reached_from_prerouting(*table) : std::vector<bool>{};
        const auto& passage = passages[static_cast<size_t>(table->family)];
        size_t tracking = compiled.conntrack_rules[static_cast<size_t>(table->family)];
        auto flow = analysis::walk_table(*table, space,
                                         [&](const analysis::TableFlow& walked, const analysis::ChainWalk& walk) {
                                             analysis::chain_findings(*table, walked, walk, tracking, out);
                                             if (nat && from_outside[walk.chain])
                                                 analysis::dnat_findings(*table, walk, passage, out);
                                         });
        analysis::hook_findings(*table, flow, keep, space, out);
        if (table->name == "filter")
            passages[static_cast<size_t>(table->family)] = analysis::filter_passage(*table, flow, space);
    }
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
