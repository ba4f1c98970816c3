// SpecIndex: buckets of a chain's rules by specification, with slots that keep the chain's order.
#include "ir/passes/spec_index.hpp"

#include <algorithm>
#include <limits>
#include <string_view>

namespace ipt2nft {

namespace {
// Room between neighbouring rules' slots: a rule put between two others takes the middle, so
// about 32 rules can be put at one place before the index must be made again.
constexpr int64_t slot_gap = int64_t{1} << 32;
}  // namespace

uint64_t SpecIndex::key(const Rule& r) {
    uint64_t h = 1469598103934665603u;
    auto mix = [&](uint64_t v) { h = (h ^ v) * 1099511628211u; };
    mix(r.match_modules);
    mix(std::hash<std::string_view>{}(r.target));
    mix(std::hash<std::string_view>{}(r.origin.comment.value_or("")));
    mix(r.conditions.size());
    mix(r.statements.size());
    // Only what Rule::same_spec compares exactly: numbers (ports, marks), ranges of them, address
    // prefixes, jumps; not flags or address types, which it compares as sets in any order.
    auto mix_number = [&](const Value& v) {
        if (auto* n = std::get_if<uint64_t>(&v.v)) mix(*n);
    };
    for (const Condition& c : r.conditions) {
        auto* cmp = std::get_if<Compare>(&c.test);
        if (!cmp || cmp->op == Op::any_flag || cmp->op == Op::no_flag ||
            std::holds_alternative<FibSelector>(cmp->selector))
            continue;
        if (auto* p = std::get_if<Prefix>(&cmp->value.v))
            for (uint8_t b : p->address.bytes) mix(b);
        if (auto* range = std::get_if<Range>(&cmp->value.v))
            for (const Value& bound : range->bounds) mix_number(bound);
        mix_number(cmp->value);
    }
    for (const Statement& s : r.statements)
        if (const Verdict* v = chain_jump(s)) mix(std::hash<std::string_view>{}(v->chain));
    return h;
}

void SpecIndex::add(const Rule& r, Slot slot) {
    std::vector<Slot>& bucket = by_key_[key(r)];
    bucket.insert(std::upper_bound(bucket.begin(), bucket.end(), slot), slot);
    slots_.insert(slot);
}

void SpecIndex::remove(const Rule& r, Slot slot) {
    auto it = by_key_.find(key(r));
    if (it == by_key_.end()) return;
    std::vector<Slot>& bucket = it->second;
    auto at = std::lower_bound(bucket.begin(), bucket.end(), slot);
    if (at != bucket.end() && *at == slot) bucket.erase(at);
    if (bucket.empty()) by_key_.erase(it);
    slots_.erase(slot);
}

void SpecIndex::take_in_appended(const RuleList& rules) {
    for (size_t i = slots_.size(); i < rules.size(); ++i)
        add(rules[i], slots_.empty() ? 0 : *slots_.rbegin() + slot_gap);
}

std::optional<size_t> SpecIndex::find(const Rule& spec, const std::function<bool(size_t)>& accept) const {
    auto it = by_key_.find(key(spec));
    if (it == by_key_.end()) return std::nullopt;
    for (Slot slot : it->second)
        if (size_t at = slots_.order_of_key(slot); accept(at)) return at;
    return std::nullopt;
}

bool SpecIndex::inserting(size_t at, const std::vector<Rule>& rules) {
    size_t count = rules.size();
    if (count == 0) return true;
    constexpr Slot lowest = std::numeric_limits<Slot>::min(), highest = std::numeric_limits<Slot>::max();
    const Slot span = slot_gap * static_cast<Slot>(count + 1);
    std::optional<Slot> low, high;  // the neighbours' slots
    if (at > 0) low = *slots_.find_by_order(at - 1);
    if (at < slots_.size()) high = *slots_.find_by_order(at);
    if (!low && !high) low = -slot_gap;
    if (!low) {
        if (*high < lowest + span) return false;
        low = *high - span;
    }
    if (!high) {
        if (*low > highest - span) return false;
        high = *low + span;
    }
    // In unsigned arithmetic, which cannot overflow: the slots made lie between the two.
    const uint64_t step = (static_cast<uint64_t>(*high) - static_cast<uint64_t>(*low)) / (count + 1);
    if (step == 0) return false;
    for (size_t k = 0; k < count; ++k) add(rules[k], static_cast<Slot>(static_cast<uint64_t>(*low) + step * (k + 1)));
    return true;
}

void SpecIndex::erasing(const Rule& rule, size_t at) {
    remove(rule, *slots_.find_by_order(at));
}

void SpecIndex::replacing(const Rule& rule, const Rule& by, size_t at) {
    Slot slot = *slots_.find_by_order(at);
    remove(rule, slot);
    add(by, slot);
}

}  // namespace ipt2nft
