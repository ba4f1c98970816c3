// Ruleset look-ups: chains by a hash index, tables linearly (a ruleset has a handful); the
// names and numbers both backends give tables, families and helper objects.
#include "ir/ruleset.hpp"

#include <fmt/format.h>
#include <linux/netfilter.h>

#include <algorithm>

#include "ir/protocols.hpp"

namespace ipt2nft {

Chain* Table::find(std::string_view chain) {
    size_t i = index(chain);
    return i == npos ? nullptr : &chains[i];
}

size_t Table::index(std::string_view chain) const {
    if (last_found_ < chains.size() && chains[last_found_].name == chain) return last_found_;
    // iptables-save lists the rules chain by chain in the order the chains were declared.
    if (size_t next = last_found_ + 1; next < chains.size() && chains[next].name == chain) return last_found_ = next;
    auto it = index_.find(chain);
    if (it == index_.end()) return npos;
    return last_found_ = position(it->second);
}

size_t Table::position(size_t slot) const {
    return slot - static_cast<size_t>(std::lower_bound(removed_.begin(), removed_.end(), slot) - removed_.begin());
}

Chain& Table::add(Chain chain) {
    index_[chain.name] = chains.size() + removed_.size();  // after every removed slot
    chains.push_back(std::move(chain));
    return chains.back();
}

// kube-proxy's restore input and teardown scripts delete thousands of chains one by one: the
// index is not rewritten for each, only once an eighth of the table's slots (at least a few
// hundred) have been freed, so that deleting every chain rewrites it a bounded number of times
// over for each chain, while a look-up searches a short list of freed slots.
void Table::remove(std::string_view chain) {
    auto it = index_.find(chain);
    if (it == index_.end()) return;
    size_t slot = it->second;
    index_.erase(it);
    chains.erase(chains.begin() + static_cast<long>(position(slot)));
    removed_.insert(std::upper_bound(removed_.begin(), removed_.end(), slot), slot);
    if (removed_.size() > std::max<size_t>(256, chains.size() / 8)) {
        removed_.clear();
        for (size_t i = 0; i < chains.size(); ++i) index_[chains[i].name] = i;
    }
    last_found_ = npos;
}

void Chain::retarget(std::string_view from, std::string_view to) {
    for (auto& r : rules)
        for (auto& s : r.statements)
            if (auto* v = std::get_if<Verdict>(&s.action); v && v->chain == from) v->chain = to;
}

void Table::rename(std::string_view from, std::string_view to) {
    auto it = index_.find(from);
    if (it == index_.end()) return;
    size_t slot = it->second;
    index_.erase(it);
    chains[position(slot)].name = to;
    index_[to] = slot;
}

const Chain* Table::find(std::string_view chain) const {
    return const_cast<Table*>(this)->find(chain);
}

Table* Ruleset::find(Family family, std::string_view table) {
    for (auto& t : tables)
        if (t.family == family && t.name == table) return &t;
    return nullptr;
}
const Table* Ruleset::find(Family family, std::string_view table) const {
    return const_cast<Ruleset*>(this)->find(family, table);
}

const char* family_name(Family f) {
    return f == Family::ipv4 ? "ip" : "ip6";
}

uint8_t nfproto(Family f) {
    return f == Family::ipv4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
}

const char* nfproto_name(unsigned family) {
    return family == NFPROTO_INET ? "inet" : family == NFPROTO_IPV6 ? "ip6" : "ip";
}

void collect_ct_helpers(const RuleList& rules, std::set<CtHelper>& into) {
    for (const auto& r : rules)
        for (const auto& s : r.statements)
            if (auto* h = std::get_if<CtHelper>(&s.action)) into.insert(*h);
}

std::string helper_object_name(const CtHelper& helper) {
    return fmt::format("{}-{}", helper.helper, find_protocol(helper.protocol)->nft_name);  // tcp or udp
}

// iptables keeps a rate as the time between two tokens in 1/10000 s units (xt_rateinfo's avg).
static uint64_t token_interval(const RateLimit& r) {
    return r.rate ? 10000 * r.period / r.rate : 0;
}

// Flags and address types are numbers: in any order, the same bits.
static std::vector<Value> sorted(std::vector<Value> elements) {
    std::sort(elements.begin(), elements.end(), [](const Value& x, const Value& y) {
        auto* a = std::get_if<uint64_t>(&x.v);
        auto* b = std::get_if<uint64_t>(&y.v);
        return a && b ? *a < *b : x.v.index() < y.v.index();
    });
    return elements;
}

// The same test as the kernel holds it: a set of flags or address types is a bit mask, a rate
// a token interval.
static bool same_test(const Condition& a, const Condition& b) {
    auto* ra = std::get_if<RateLimit>(&a.test);
    auto* rb = std::get_if<RateLimit>(&b.test);
    if (ra && rb) return token_interval(*ra) == token_interval(*rb) && ra->burst == rb->burst;
    auto* ca = std::get_if<Compare>(&a.test);
    auto* cb = std::get_if<Compare>(&b.test);
    // Flag tests and address types are bit masks for iptables; multiport's lists are in order.
    if (ca && cb &&
        (ca->op == Op::any_flag || ca->op == Op::no_flag || std::holds_alternative<FibSelector>(ca->selector))) {
        auto* fa = std::get_if<ValueSet>(&ca->value.v);
        auto* fb = std::get_if<ValueSet>(&cb->value.v);
        if (fa && fb)
            return ca->selector == cb->selector && ca->op == cb->op && ca->mask == cb->mask &&
                   sorted(fa->elements) == sorted(fb->elements);
    }
    return a.test == b.test;
}

static bool same_conditions(const std::vector<Condition>& a, const std::vector<Condition>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!same_test(a[i], b[i])) return false;
    return true;
}

static bool same_statements(const std::vector<Statement>& a, const std::vector<Statement>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!(a[i].action == b[i].action)) return false;
    return true;
}

bool Rule::same_spec(const Rule& other) const {
    return match_modules == other.match_modules && target == other.target && origin.comment == other.origin.comment &&
           same_conditions(conditions, other.conditions) && same_statements(statements, other.statements);
}

}  // namespace ipt2nft
