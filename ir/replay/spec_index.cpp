// SpecIndex: buckets of a chain's rules by specification, with slots that keep the chain's order.
#include "ir/replay/spec_index.hpp"

#include <algorithm>
#include <limits>
#include <string_view>

namespace ipt2nft {

namespace {
// Room between neighbouring rules' slots as the chain is first taken in: a rule put between two
// others takes the middle of the room they leave.
constexpr SpecIndex::Slot slot_gap = SpecIndex::Slot{1} << 32;
// Slots start in the middle of their range, so that rules can be put before the first too.
constexpr SpecIndex::Slot first_slot = SpecIndex::Slot{1} << 63;
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
        add(rules[i], slots_.empty() ? first_slot : *slots_.rbegin() + slot_gap);
}

std::optional<size_t> SpecIndex::find(const Rule& spec, const std::function<bool(size_t)>& accept) const {
    auto it = by_key_.find(key(spec));
    if (it == by_key_.end()) return std::nullopt;
    for (Slot slot : it->second)
        if (size_t at = slots_.order_of_key(slot); accept(at)) return at;
    return std::nullopt;
}

bool SpecIndex::inserting(size_t at, const std::vector<Rule>& rules, const RuleList& chain) {
    size_t count = rules.size();
    if (count == 0) return true;
    constexpr Slot highest = std::numeric_limits<Slot>::max();
    const Slot span = slot_gap * (count + 1);
    std::optional<Slot> low, high;  // the neighbours' slots
    if (at > 0) low = *slots_.find_by_order(at - 1);
    if (at < slots_.size()) high = *slots_.find_by_order(at);
    if (!low && !high) low = first_slot - slot_gap;
    if (!low && *high >= span) low = *high - span;
    if (!high && *low <= highest - span) high = *low + span;
    if (low && high && (*high - *low) / (count + 1) > 0) {
        const Slot step = (*high - *low) / (count + 1);
        for (size_t k = 0; k < count; ++k) add(rules[k], *low + step * (k + 1));
        return true;
    }
    return respread(at, rules, chain, low ? *low : *high);
}

// No room is left between the neighbours: the slots of the rules around them are spread out again
// over the smallest aligned block of slots about `near` that is sparse enough, where a block of 2^i
// slots may hold fewer than 1.5^i rules. After a spread every smaller block in it is well below its
// own bound, so rules put again and again at one place spread rarely and over few rules (Bender et
// al., "Two simplified algorithms for maintaining order in a list", 2002): 64-bit slots hold
// 1.5^64 rules, far more than memory.
bool SpecIndex::respread(size_t at, const std::vector<Rule>& rules, const RuleList& chain, Slot near) {
    const size_t count = rules.size();
    double bound = 1;
    for (int bits = 1; bits <= 64; ++bits) {
        bound *= 1.5;
        const Slot size_mask = bits == 64 ? ~Slot{0} : (Slot{1} << bits) - 1;
        const Slot begin = near & ~size_mask, last = begin + size_mask;
        const size_t first = slots_.order_of_key(begin);
        const size_t end = bits == 64 ? slots_.size() : slots_.order_of_key(last + 1);
        const size_t held = end - first + count;
        if (static_cast<double>(held) >= bound) continue;
        // The block's rules and the new ones, in chain order, at even steps across the block. Each
        // old slot is found in its bucket before any is changed, as a bucket is in order only
        // before and after.
        const Slot step = size_mask / (held + 1);
        std::vector<Slot> old(slots_.find_by_order(first), slots_.find_by_order(end));
        std::vector<Slot*> in_bucket;
        for (size_t i = first; i < end; ++i) {
            // Not there only if the index was not told of an edit: then it cannot follow the chain.
            auto it = by_key_.find(key(chain[i]));
            if (it == by_key_.end()) return false;
            auto at_slot = std::lower_bound(it->second.begin(), it->second.end(), old[i - first]);
            if (at_slot == it->second.end() || *at_slot != old[i - first]) return false;
            in_bucket.push_back(&*at_slot);
        }
        for (Slot s : old) slots_.erase(s);
        size_t next = 0;
        std::vector<std::pair<const Rule*, Slot>> added;
        for (size_t i = first; i <= end; ++i) {
            if (i == at)
                for (const Rule& r : rules) added.emplace_back(&r, begin + step * ++next);
            if (i == end) break;
            *in_bucket[i - first] = begin + step * ++next;
            slots_.insert(*in_bucket[i - first]);
        }
        for (auto [r, slot] : added) add(*r, slot);
        return true;
    }
    return false;
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
