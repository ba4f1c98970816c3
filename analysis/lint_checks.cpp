// The catalogue of lint's checks, as docs/lint.md documents them.
#include "analysis/lint_checks.hpp"

#include <algorithm>

namespace ipt2nft::analysis {

const std::vector<LintCheck>& lint_checks() {
    static const std::vector<LintCheck> checks{
        {"shadowed-rule", Severity::warning, "A rule never matches: rules before it decide all its packets otherwise",
         "Every packet this rule matches is accepted, dropped or taken out of the chain by earlier rules (named in "
         "the notes) before it is reached, so it never acts. Move it above the rules that shadow it, or delete it."},
        {"redundant-rule", Severity::warning, "A rule changes nothing: its packets are decided alike without it",
         "Every packet this rule matches is already decided the same way by earlier rules, or would be by the rules "
         "after it or the chain's policy. Delete it, or merge it into the rules named in the notes."},
        {"unreachable-rule", Severity::warning, "No packet reaches a rule, or its conditions contradict each other",
         "A rule before it decides every packet (an unconditional ACCEPT, DROP, RETURN or goto), or the rule's own "
         "conditions exclude each other. Reorder the rules or delete the dead ones."},
        {"unused-chain", Severity::warning, "A user chain no rule jumps or goes to",
         "Its rules never run. Add the -j or -g rule that was meant to use it, or delete the chain."},
        {"interface-never-matches", Severity::warning, "An interface match the chain's hooks never fill in",
         "-i in OUTPUT/POSTROUTING or -o in PREROUTING/INPUT never matches: use the other direction."},
        {"target-not-allowed", Severity::warning, "A target the table or hook does not run",
         "Move the rule to a table and chain where its target acts."},
        {"never-matches", Severity::warning, "A match no packet satisfies", "Delete the rule or fix the match."},
    };
    return checks;
}

const LintCheck* find_lint_check(std::string_view code) {
    const auto& all = lint_checks();
    auto it = std::find_if(all.begin(), all.end(), [&](const LintCheck& c) { return c.code == code; });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace ipt2nft::analysis
