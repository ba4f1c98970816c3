// Merges the sibling rules of an address list into one rule with sets, where no packet can tell.
#include "ir/passes/merge_address_lists.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>

namespace ipt2nft {

namespace {

// A sibling's -s or -d test: a prefix the rule must match. Only these differ between siblings.
const Prefix* address_test(const Condition& c) {
    auto* cmp = std::get_if<Compare>(&c.test);
    if (!cmp || cmp->op != Op::eq || cmp->mask) return nullptr;
    auto* p = std::get_if<PayloadSelector>(&cmp->selector);
    using enum PayloadField;
    if (!p || (p->field != ip_saddr && p->field != ip_daddr && p->field != ip6_saddr && p->field != ip6_daddr))
        return nullptr;
    auto* prefix = std::get_if<Prefix>(&cmp->value.v);
    // A set element is a prefix: an address under a mask like 255.0.255.0 stays a rule of its own.
    return prefix && prefix_length(prefix->mask) ? prefix : nullptr;
}

bool overlap(const Prefix& a, const Prefix& b) {
    return apply_mask(a.address, b.mask) == apply_mask(b.address, a.mask);
}

bool covers(const Prefix& wide, const Prefix& narrow) {
    return *prefix_length(wide.mask) <= *prefix_length(narrow.mask) && overlap(wide, narrow);
}

// A token bucket or an nth-packet counter belongs to its kernel rule: siblings each have their own.
bool keeps_state(const Rule& r) {
    return std::any_of(r.conditions.begin(), r.conditions.end(), [](const Condition& c) { return c.keeps_state(); });
}

// A random draw gives each sibling a packet meets a chance of its own.
bool draws_at_random(const Rule& r) {
    return std::any_of(r.conditions.begin(), r.conditions.end(), [](const Condition& c) {
        auto* cmp = std::get_if<Compare>(&c.test);
        auto* meta = cmp ? std::get_if<MetaSelector>(&cmp->selector) : nullptr;
        return meta && meta->key == MetaKey::random;
    });
}

// Once the rule applies, the packet leaves the chain: a sibling after it is never reached.
bool ends_the_walk(const Rule& r) {
    return std::any_of(r.statements.begin(), r.statements.end(), [](const Statement& s) {
        if (auto* v = std::get_if<Verdict>(&s.action)) return v->kind != VerdictKind::jump;
        return std::holds_alternative<Reject>(s.action) || std::holds_alternative<Queue>(s.action) ||
               std::holds_alternative<Nat>(s.action);
    });
}

// The prefixes' indexes in address order, a wider prefix before those it holds. Prefixes nest or
// are apart, so one holding another comes before it with only prefixes it holds in between: the
// checks below need only look at neighbours (lists of tens of thousands of addresses are met).
std::vector<size_t> in_address_order(const std::vector<Prefix>& values) {
    std::vector<unsigned> lengths;
    lengths.reserve(values.size());
    for (const Prefix& v : values) lengths.push_back(*prefix_length(v.mask));
    std::vector<size_t> order(values.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const auto& x = values[a].address.bytes;
        const auto& y = values[b].address.bytes;
        return x != y ? x < y : lengths[a] < lengths[b];
    });
    return order;
}

bool pairwise_disjoint(const std::vector<Prefix>& values) {
    std::vector<size_t> order = in_address_order(values);
    for (size_t k = 1; k < order.size(); ++k)
        if (overlap(values[order[k - 1]], values[order[k]])) return false;
    return true;
}

// Leaves out the prefixes inside another of the list (a repeat too), keeping the list's order.
void drop_covered(std::vector<Prefix>& values) {
    std::vector<bool> covered(values.size(), false);
    const Prefix* last_kept = nullptr;
    for (size_t i : in_address_order(values)) {
        if (last_kept && covers(*last_kept, values[i]))
            covered[i] = true;
        else
            last_kept = &values[i];
    }
    size_t kept = 0;
    for (size_t i = 0; i < values.size(); ++i)
        if (!covered[i]) values[kept++] = values[i];
    values.resize(kept);
}

// The one rule the siblings amount to, or nullopt when some packet would see the difference.
std::optional<Rule> merged(std::span<Rule> run) {
    const Rule& head = run.front();
    if (keeps_state(head)) return std::nullopt;
    // Siblings are copies of one rule but for their address tests, which 0/0 leaves out.
    std::vector<size_t> positions;  // the conditions in which the siblings differ
    for (const Rule& r : run)
        if (r.conditions.size() != head.conditions.size()) return std::nullopt;
    for (size_t i = 0; i < head.conditions.size(); ++i) {
        bool same = std::all_of(run.begin(), run.end(),
                                [&](const Rule& r) { return r.conditions[i].test == head.conditions[i].test; });
        if (same) continue;
        if (!std::all_of(run.begin(), run.end(), [&](const Rule& r) { return address_test(r.conditions[i]); }))
            return std::nullopt;
        positions.push_back(i);
    }
    // Each sibling as indexes into the distinct values of each differing condition.
    std::vector<std::vector<Prefix>> values(positions.size());
    using Key = std::pair<std::array<uint8_t, 16>, std::array<uint8_t, 16>>;  // address, mask
    std::vector<std::map<Key, size_t>> index(positions.size());
    std::set<std::vector<size_t>> combinations;
    for (const Rule& r : run) {
        std::vector<size_t> combination;
        for (size_t p = 0; p < positions.size(); ++p) {
            const Prefix& v = *address_test(r.conditions[positions[p]]);
            auto [at, added] = index[p].emplace(Key{v.address.bytes, v.mask.bytes}, values[p].size());
            if (added) values[p].push_back(v);
            combination.push_back(at->second);
        }
        combinations.insert(std::move(combination));
    }
    size_t product = 1;
    for (const auto& v : values) product *= v.size();
    // Sets match every combination of their elements: the siblings must be exactly those.
    if (combinations.size() != product) return std::nullopt;
    if (ends_the_walk(head) && !draws_at_random(head)) {
        // Only the first sibling a packet matches applies: repeats and addresses inside another
        // add nothing.
        for (auto& v : values) drop_covered(v);
    } else if (run.size() != product ||
               !std::all_of(values.begin(), values.end(), [](const auto& v) { return pairwise_disjoint(v); })) {
        // Every sibling a packet matches applies (a log line, a mark change, a jump each): only
        // when no packet can match two of them is one rule the same.
        return std::nullopt;
    }
    Rule rule = head;
    rule.origin.address_list = false;
    for (size_t p = 0; p < positions.size(); ++p) {
        auto& cmp = std::get<Compare>(rule.conditions[positions[p]].test);
        if (values[p].size() == 1) {
            cmp.value = values[p].front();
        } else {
            ValueSet set;
            set.elements.assign(values[p].begin(), values[p].end());
            cmp.value = std::move(set);
        }
    }
    if (head.origin.counters) {
        Counters sum;
        for (const Rule& r : run) {
            sum.packets += r.origin.counters->packets;
            sum.bytes += r.origin.counters->bytes;
        }
        rule.origin.counters = sum;
    }
    return rule;
}

void merge_in(Chain& chain) {
    auto& rules = chain.rules;
    if (std::none_of(rules.begin(), rules.end(), [](const Rule& r) { return r.origin.address_list; })) return;
    std::vector<Rule> out;
    out.reserve(rules.size());
    for (size_t i = 0; i < rules.size();) {
        size_t end = i + 1;
        auto sibling = [&](const Rule& r) {
            return r.origin.address_list && r.origin.span.file == rules[i].origin.span.file &&
                   r.origin.span.begin == rules[i].origin.span.begin;
        };
        if (rules[i].origin.address_list)
            while (end < rules.size() && sibling(rules[end])) ++end;
        if (end == i + 1) {
            out.push_back(std::move(rules[i]));
            i = end;
            continue;
        }
        std::vector<Rule> run(std::make_move_iterator(rules.begin() + static_cast<long>(i)),
                              std::make_move_iterator(rules.begin() + static_cast<long>(end)));
        if (run.front().untranslatable()) {
            out.push_back(std::move(run.front()));  // one comment for the one line they came from
        } else if (auto m = merged(run)) {
            out.push_back(std::move(*m));
        } else {
            for (Rule& r : run) out.push_back(std::move(r));
        }
        i = end;
    }
    rules = RuleList(std::move(out));
}

}  // namespace

void merge_address_lists(Ruleset& ruleset) {
    for (auto& table : ruleset.tables)
        for (auto& chain : table.chains) merge_in(chain);
}

}  // namespace ipt2nft
