// Each rule's packets against those reaching it: none reach it (unreachable), earlier rules took
// all it matches (shadowed, or redundant when they decided alike), or the rest of the chain would
// decide them alike without it (redundant).
#include "analysis/rule_findings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace ipt2nft::analysis {

namespace {

constexpr size_t most_notes = 4;

const char* decided_word(Decision d) {
    return d == Decision::accept ? "accepted" : "dropped";
}

Diagnostic finding(Severity severity, Span span, std::string message, std::string code) {
    return Diagnostic{severity, span, std::move(message), std::move(code), {}};
}

void add_note(Diagnostic& d, Span span, std::string message) {
    if (d.notes.size() < most_notes)
        d.notes.push_back(Diagnostic{Severity::note, span, std::move(message), d.code, {}});
}

class ChainFindings {
public:
    ChainFindings(const sim::CompiledTable& table, const TableFlow& flow, const ChainWalk& walk)
        : table_(table), flow_(flow), walk_(walk), c_(walk.chain), chain_(table.chains[c_]), rules_(walk.rules) {}

    std::vector<std::optional<Diagnostic>> run() {
        std::vector<std::optional<Diagnostic>> found(rules_.size());
        if (walk_.entry == bddfalse) return found;  // no packet enters: its callers are the finding
        for (size_t i = 0; i < rules_.size(); ++i) {
            const bdd& reach = walk_.reach[i];
            if (reach == bddfalse) {
                found[i] = unreachable(i);
                break;  // the rules after it are counted in its message
            }
            if (rules_[i].may == bddfalse)
                found[i] =
                    finding(Severity::warning, span(i),
                            "this rule matches no packet: its conditions contradict each other", "unreachable-rule");
            else if ((reach & rules_[i].may) == bddfalse)
                found[i] = taken_earlier(i);
        }
        // Then the rules the rest of the chain makes redundant, once those findings are known: only
        // an accept or a drop can be.
        if (std::none_of(rules_.begin(), rules_.end(),
                         [](const RuleSets& r) { return r.outcome == Outcome::accept || r.outcome == Outcome::drop; }))
            return found;
        std::array<std::vector<bdd>, 2> fate{later_fate(Decision::accept), later_fate(Decision::drop)};
        for (size_t i = 0; i < rules_.size() && walk_.reach[i] != bddfalse; ++i)
            if (!found[i]) found[i] = redundant_later(i, fate, found);
        return found;
    }

private:
    Span span(size_t i) const { return chain_.rules[i].span; }

    // The first rule no packet reaches: the rule before it took every packet.
    Diagnostic unreachable(size_t i) {
        size_t after = 0;
        for (size_t k = i + 1; k < rules_.size(); ++k)
            if (span(k).begin != span(k - 1).begin || span(k).file != span(k - 1).file) ++after;
        std::string rest = after ? fmt::format(" nor the {} after it", after) : "";
        Diagnostic d = finding(Severity::warning, span(i),
                               fmt::format("no packet reaches this rule{} in chain {}: every packet is decided "
                                           "before it",
                                           rest, chain_.name),
                               "unreachable-rule");
        size_t last = i;
        while (last > 0 && walk_.reach[last - 1] == bddfalse) --last;
        if (last > 0) add_note(d, span(last - 1), "this rule takes every packet that reaches it");
        return d;
    }

    // What earlier rule `j` surely decided of `packets`, by decision kind; other for packets that
    // left the chain undecided (goto, return) or by a verdict other than accept and drop.
    std::array<bdd, decision_kinds> decided_by(size_t j, const bdd& packets) const {
        std::array<bdd, decision_kinds> parts{bddfalse, bddfalse, bddfalse, bddfalse};
        bdd taken = walk_.taken(j, flow_.summaries) & packets;
        if (taken == bddfalse) return parts;
        const RuleSets& rule = rules_[j];
        size_t t = walk_.targets[j];
        if (t != SIZE_MAX) {
            // A goto's packets the callee leaves undecided go back to this chain's caller.
            const ChainSummary& callee = flow_.summaries[t];
            for (size_t k = 0; k < decision_kinds; ++k) parts[k] = taken & callee.decided[k];
            parts[static_cast<size_t>(Decision::other)] |= minus(taken, callee.decided_any);
        } else {
            parts[static_cast<size_t>(is_final(rule.outcome) ? decision_of(rule.outcome) : Decision::other)] = taken;
        }
        return parts;
    }

    bool alike(size_t j, size_t i) const {
        const RuleSets &a = rules_[j], &b = rules_[i];
        // A NAT to addresses the packet decides ('?') is alike to none.
        return a.outcome == b.outcome && a.action == b.action && a.chain == b.chain &&
               a.action.find('?') == std::string::npos;
    }

    // Whether rule `j`'s share of the packets decides them as rule `i` would have.
    bool decides_alike(size_t j, const std::array<bdd, decision_kinds>& parts, size_t i) const {
        Outcome mine = rules_[i].outcome;
        for (size_t k = 0; k < decision_kinds; ++k) {
            if (parts[k] == bddfalse) continue;
            auto kind = static_cast<Decision>(k);
            bool same = kind == Decision::accept || kind == Decision::drop ? is_final(mine) && decision_of(mine) == kind
                                                                           : alike(j, i);
            if (!same) return false;
        }
        return true;
    }

    // Every packet the rule matches was taken by the rules before it (or never enters the chain):
    // the notes name them, the nearest first.
    Diagnostic taken_earlier(size_t i) {
        const bdd& mine = rules_[i].may;
        std::vector<size_t> covering;
        bool same = true;
        for (size_t j = i; j-- > 0;) {
            auto parts = decided_by(j, mine);
            if ((parts[0] | parts[1] | parts[2] | parts[3]) == bddfalse) continue;
            covering.push_back(j);
            same &= decides_alike(j, parts, i);
        }
        if (covering.empty()) {
            Diagnostic d = finding(Severity::warning, span(i),
                                   fmt::format("this rule never matches: no packet that reaches it in chain {} can "
                                               "match it (the callers or the rules before it change or take them)",
                                               chain_.name),
                                   "shadowed-rule");
            for (const auto& site : flow_.callers[c_])
                add_note(d, table_.chains[site.chain].rules[site.rule].span,
                         fmt::format("chain {} is entered here", chain_.name));
            return d;
        }
        Diagnostic d = same ? finding(Severity::warning, span(i),
                                      "this rule is redundant: every packet it matches is already decided the same "
                                      "way by the rules before it",
                                      "redundant-rule")
                            : finding(Severity::warning, span(i),
                                      "this rule never matches: every packet it would match is decided before it",
                                      "shadowed-rule");
        for (size_t j : covering) add_note(d, span(j), same ? "covered by this rule" : "decided by this rule");
        if (covering.size() > most_notes)
            d.notes.back().message += fmt::format(" (and {} more rules)", covering.size() - most_notes);
        return d;
    }

    // The packets rule `j` surely decides as `kind` when they reach it.
    bdd decides_surely(size_t j, Decision kind) const {
        const RuleSets& rule = rules_[j];
        if (is_final(rule.outcome)) return decision_of(rule.outcome) == kind ? rule.must : bddfalse;
        size_t t = walk_.targets[j];
        return t == SIZE_MAX ? bddfalse : rule.must & flow_.summaries[t].decided[static_cast<size_t>(kind)];
    }

    // Per position: the packets there that the rest of the chain surely decides as `kind`, with
    // nothing seen or changed on the way (no log, no mark).
    std::vector<bdd> later_fate(Decision kind) const {
        bool policy = chain_.base && (chain_.policy == VerdictKind::drop ? Decision::drop : Decision::accept) == kind;
        std::vector<bdd> fate(rules_.size() + 1);
        bdd f = policy ? bddtrue : bddfalse;
        fate[rules_.size()] = f;
        for (size_t i = rules_.size(); i-- > 0;) {
            const RuleSets& rule = rules_[i];
            bdd decides = decides_surely(i, kind);
            if (rule.outcome == Outcome::return_ && policy) decides = rule.must;
            bool passes = rule.outcome == Outcome::none && rule.writes.empty() && !rule.leaves_trace;
            if (!passes) f = decides | minus(f, rule.may);
            fate[i] = f;
        }
        return fate;
    }

    // An accept or drop whose packets the rest of the chain would decide alike.
    // A later rule found redundant or shadowed by this one (a duplicate) does not make it redundant:
    // of two copies, the second is the finding.
    std::optional<Diagnostic> redundant_later(size_t i, const std::array<std::vector<bdd>, 2>& fate,
                                              const std::vector<std::optional<Diagnostic>>& found) {
        const RuleSets& rule = rules_[i];
        if ((rule.outcome != Outcome::accept && rule.outcome != Outcome::drop) || !rule.writes.empty() ||
            rule.leaves_trace)
            return std::nullopt;
        Decision kind = decision_of(rule.outcome);
        bdd hit = walk_.reach[i] & rule.may;
        if (minus(hit, fate[static_cast<size_t>(kind)][i + 1]) != bddfalse) return std::nullopt;
        std::vector<size_t> later;
        bdd left = hit;
        for (size_t j = i + 1; j < rules_.size() && left != bddfalse; ++j) {
            if ((left & decides_surely(j, kind)) != bddfalse) later.push_back(j);
            if (rules_[j].outcome != Outcome::none) left = minus(left, rules_[j].must);
        }
        // Packets no later rule surely takes are the policy's. Repeating the policy is often meant
        // (a rule kept for its counter, or to say it): a note then.
        for (size_t j : later)
            if (found[j]) return std::nullopt;
        bool by_policy = left != bddfalse;
        const char* by = later.empty() ? "the chain's policy"
                         : by_policy   ? "the rules after it and the chain's policy"
                                       : "the rules after it";
        Diagnostic d = finding(
            by_policy ? Severity::note : Severity::warning, span(i),
            fmt::format("this rule is redundant: without it the packets it matches would be {} all the same, by {}",
                        decided_word(kind), by),
            "redundant-rule");
        for (size_t j : later) add_note(d, span(j), fmt::format("{} here", decided_word(kind)));
        if (by_policy && chain_.policy_span.valid()) add_note(d, chain_.policy_span, "the policy");
        return d;
    }

    const sim::CompiledTable& table_;
    const TableFlow& flow_;
    const ChainWalk& walk_;
    size_t c_;
    const sim::CompiledChain& chain_;
    const std::vector<RuleSets>& rules_;
};

bool same_rule(Span a, Span b) {
    return a.file == b.file && a.begin == b.begin;
}

// One iptables rule may be several kernel rules: a finding holds for it only when it holds for
// every one of them. Deleting the family's only rules that need conntrack would change more than
// their packets: the kernel would stop tracking connections, and never call a nat chain.
void keep_whole_rules(const sim::CompiledChain& chain, size_t conntrack_rules,
                      std::vector<std::optional<Diagnostic>>& found, std::vector<Diagnostic>& out) {
    for (size_t begin = 0; begin < found.size();) {
        size_t end = begin, tracking = 0;
        bool all = true;
        for (; end < found.size() && same_rule(chain.rules[end].span, chain.rules[begin].span); ++end) {
            all &= found[end].has_value();
            tracking += sim::needs_conntrack(chain.rules[end].program);
        }
        if (all && !(tracking > 0 && tracking == conntrack_rules)) out.push_back(std::move(*found[begin]));
        begin = end;
    }
}

}  // namespace

void chain_findings(const sim::CompiledTable& table, const TableFlow& flow, const ChainWalk& walk,
                    size_t conntrack_rules, std::vector<Diagnostic>& out) {
    const auto& chain = table.chains[walk.chain];
    // An empty one is often a marker another program looks for (kube-proxy's canaries): a note.
    if (!chain.base && flow.callers[walk.chain].empty())
        out.push_back(finding(chain.rules.empty() ? Severity::note : Severity::warning, chain.declared,
                              fmt::format("chain {} is never used: no rule jumps or goes to it{}", chain.name,
                                          chain.rules.empty() ? " (it is empty)" : ""),
                              "unused-chain"));
    auto found = ChainFindings(table, flow, walk).run();
    keep_whole_rules(chain, conntrack_rules, found, out);
}

}  // namespace ipt2nft::analysis
