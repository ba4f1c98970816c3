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
        {"lockout", Severity::warning, "INPUT drops every new connection (or the session) to a service kept open",
         "Applied over SSH (or the services --keep names), the ruleset cuts you off. Accept the service, and "
         "established packets, before the drop. Without --keep, SSH is checked and this is a note."},
        {"loopback-blocked", Severity::warning,
         "INPUT or OUTPUT drops new connections over lo to common local services",
         "Local services on 127.0.0.1 or ::1 (resolvers, databases) stop working. Add -i lo -j ACCEPT (and "
         "-o lo in OUTPUT) before the drops."},
        {"no-established", Severity::warning, "A chain accepts new connections but drops their later packets",
         "The connections it accepts hang after the first packet. Add -m conntrack --ctstate ESTABLISHED,RELATED "
         "-j ACCEPT near the top of the chain."},
        {"ipv6-nd-blocked", Severity::warning, "An ip6tables INPUT or OUTPUT drops ICMPv6 neighbour discovery",
         "Router and neighbour solicitations and advertisements (types 133-136), which conntrack leaves untracked, "
         "are dropped, so IPv6 cannot reach its neighbours. Accept them before the drops."},
        {"dnat-blocked", Severity::warning, "Connections the nat table redirects are dropped by the filter table",
         "A DNAT sends connections on, but the filter table's FORWARD (INPUT for REDIRECT) drops all of them on "
         "their way to the new destination. Accept them there, matching the new address and port."},
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
