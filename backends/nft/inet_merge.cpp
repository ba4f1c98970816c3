// --inet's plan: the ip and ip6 tables of one name as one inet table's chains, each rule once or for its family.
#include "backends/nft/inet_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ir/meters.hpp"

namespace ipt2nft::nft {

namespace {

// Beyond this many pairs of rules a chain's families are not matched (each rule is then
// written for its own family): the matching keeps four bytes per pair, 64 MB at most.
constexpr size_t most_pairs = 16'000'000;

std::set<std::string_view> set_names(const Table& t) {
    std::set<std::string_view> names;
    for (const DynamicSet& s : dynamic_sets(t)) names.insert(s.name);
    for (const MeterSet& s : meter_sets(t)) names.insert(s.meter->name);
    for (const DeclaredIpset& s : t.ipsets) names.insert(s.set->name);
    return names;
}

// A statement nft takes in ip and ip6 tables only, or whose words need the family there.
const char* family_bound(const Table& t) {
    for (const auto& ch : t.chains)
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements) {
                if (std::holds_alternative<Dup>(s.action)) return "TEE (nft's dup has no inet form)";
                if (std::holds_alternative<Tproxy>(s.action)) return "TPROXY";
            }
    return nullptr;
}

// One rule as the inet chain holds it: its text, and the family it is for (none: both).
struct Line {
    const Rule* rule;
    std::string text;
    std::optional<Family> only;
    bool mergeable = true;
};

std::vector<Line> lines_of(const Chain* ch, Family family, const ScriptOptions& options) {
    std::vector<Line> lines;
    if (!ch) return lines;
    for (const Rule& r : ch->rules) {
        Line& l = lines.emplace_back();
        l.rule = &r;
        l.only = family;
        if (r.untranslatable()) {
            append_untranslated(r, "\t\t", l.text);
            l.mergeable = false;
        } else {
            print_nft_rule(r, options, l.text);
        }
        // A rate, quota or set kept per rule would count both families' packets once merged.
        if (std::any_of(r.conditions.begin(), r.conditions.end(), [](const Condition& c) { return c.keeps_state(); }))
            l.mergeable = false;
    }
    return lines;
}

// The two families' rules in one order that keeps each family's: a longest common run of rules
// written alike (neither keeping state) is written once, the others each for its family.
std::vector<Line> merge(std::vector<Line> v4, std::vector<Line> v6) {
    size_t n = v4.size(), m = v6.size();
    auto same = [&](size_t i, size_t j) { return v4[i].mergeable && v6[j].mergeable && v4[i].text == v6[j].text; };
    std::vector<Line> out;
    if (n * m > most_pairs || n == 0 || m == 0) {
        for (auto* side : {&v4, &v6})
            for (Line& l : *side) out.push_back(std::move(l));
        return out;
    }
    // lengths[i][j]: the longest common run of v4[i..] and v6[j..].
    std::vector<std::vector<uint32_t>> lengths(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lengths[i][j] = same(i, j) ? lengths[i + 1][j + 1] + 1 : std::max(lengths[i + 1][j], lengths[i][j + 1]);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && same(i, j)) {
            v4[i].only.reset();
            out.push_back(std::move(v4[i++]));
            ++j;
        } else if (j == m || (i < n && lengths[i + 1][j] >= lengths[i][j + 1])) {
            out.push_back(std::move(v4[i++]));
        } else {
            out.push_back(std::move(v6[j++]));
        }
    }
    return out;
}

const Chain* find_chain(const Table& t, std::string_view name) {
    for (const auto& ch : t.chains)
        if (ch.name == name) return &ch;
    return nullptr;
}

// A built-in chain's policy in a family: ACCEPT where the family's table lacks the chain.
VerdictKind policy_of(const Chain* ch) {
    return ch && ch->policy ? *ch->policy : VerdictKind::accept;
}

std::vector<InetChain> inet_chains(const Table& v4, const Table& v6, const ScriptOptions& options) {
    std::vector<InetChain> chains;
    for (const Table* t : {&v4, &v6})
        for (const auto& ch : t->chains) {
            if (std::any_of(chains.begin(), chains.end(), [&](const InetChain& c) { return c.name == ch.name; }))
                continue;
            InetChain& c = chains.emplace_back();
            c.name = ch.name;
            c.declared = ch.declared;
            const Chain* c4 = find_chain(v4, ch.name);
            const Chain* c6 = find_chain(v6, ch.name);
            c.builtin = !base_chain_type(v4.name, ch.name).empty();
            VerdictKind p4 = policy_of(c4), p6 = policy_of(c6);
            if (c.builtin && p4 == p6) c.policy = p4;
            if (c.builtin && p4 != p6) c.dropped = p4 == VerdictKind::drop ? Family::ipv4 : Family::ipv6;
            for (Line& l : merge(lines_of(c4, Family::ipv4, options), lines_of(c6, Family::ipv6, options)))
                c.rules.push_back({l.rule, l.only, std::move(l.text)});
        }
    return chains;
}

}  // namespace

std::optional<std::string> inet_obstacle(const Table& v4, const Table& v6) {
    for (const Table* t : {&v4, &v6})
        if (const char* bound = family_bound(*t))
            return fmt::format("table {} {} has {}, which an inet table cannot hold", family_name(t->family), t->name,
                               bound);
    std::set<std::string_view> names4 = set_names(v4);
    for (std::string_view name : set_names(v6))
        if (names4.count(name))
            return fmt::format(
                "both families' tables {} have a set named {}, and an inet table's set holds keys of one "
                "family",
                v4.name, name);
    return std::nullopt;
}

std::vector<InetTable> inet_tables(const Ruleset& ruleset, const ScriptOptions& options) {
    std::vector<InetTable> merged;
    for (const auto& v4 : ruleset.tables) {
        if (v4.family != Family::ipv4) continue;
        for (const auto& v6 : ruleset.tables)
            if (v6.family == Family::ipv6 && v6.name == v4.name && !inet_obstacle(v4, v6))
                merged.push_back({&v4, &v6, inet_chains(v4, v6, options)});
    }
    return merged;
}

}  // namespace ipt2nft::nft
