// nft's merging of tests of neighbouring header fields into one load: which it makes, and which
// change what a rule means.
#include "ir/payload_merges.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace ipt2nft {

namespace {

// Whether nft writes `v` as one value: a number, an address (a prefix of every bit is one, and
// written so), a MAC address; not a range, a set or a shorter prefix.
bool one_value(const Value& v) {
    if (auto* prefix = std::get_if<Prefix>(&v.v)) {
        auto length = prefix_length(prefix->mask);
        return length && *length == (prefix->address.family == Family::ipv4 ? 32u : 128u);
    }
    return std::holds_alternative<uint64_t>(v.v) || std::holds_alternative<Address>(v.v) ||
           std::holds_alternative<MacAddress>(v.v);
}

// Where a gathered test's bits lie.
struct Place {
    HeaderBase base;
    uint32_t offset_bits, length_bits;
};

// A test nft gathers: a header field of whole bytes (an IPv6 extension header's is loaded
// otherwise) or raw bytes compared by `==` or `!=` with one value, unmasked.
std::optional<Place> gathered(const Condition& c) {
    auto* cmp = std::get_if<Compare>(&c.test);
    if (!cmp || (cmp->op != Op::eq && cmp->op != Op::neq) || cmp->mask || !one_value(cmp->value)) return std::nullopt;
    if (auto* r = std::get_if<RawPayloadSelector>(&cmp->selector))
        return Place{r->base, r->offset_bits, r->length_bits};
    auto* p = std::get_if<PayloadSelector>(&cmp->selector);
    if (!p) return std::nullopt;
    const PayloadDescriptor& d = describe(p->field);
    bool whole_bytes = d.offset_bits % 8 == 0 && d.length_bits % 8 == 0;
    if (!whole_bytes || d.base == HeaderBase::ipv6_extension) return std::nullopt;
    return Place{d.base, d.offset_bits, d.length_bits};
}

// A condition nft writes as a statement of its own, not a match: a rate, a quota, a meter, a
// recent list's update, a connection count.
bool statement(const Condition& c) {
    if (std::holds_alternative<RateLimit>(c.test) || std::holds_alternative<Quota>(c.test) ||
        std::holds_alternative<Meter>(c.test))
        return true;
    auto* t = std::get_if<SetTest>(&c.test);
    return t && t->action != SetTest::Action::check;
}

// A condition whose answer depends on how many packets reached it: a statement that counts, or
// a counter among the matches (statistic's nth packet, `numgen inc`).
bool counts(const Condition& c) {
    return statement(c) || (std::holds_alternative<Compare>(c.test) && c.keeps_state());
}

Op op_of(const Condition& c) {
    return std::get<Compare>(c.test).op;
}

// The merges nft makes of the tests it gathered, sorted by header and offset: each test into the
// one before it while they are neighbours of one header, alike in their operator, 4 bytes at most.
void merge_gathered(const std::vector<const Condition*>& conditions, std::vector<size_t> tests,
                    const std::vector<size_t>& counting_before, std::vector<PayloadMerge>& out) {
    auto place = [&](size_t i) {
        Place p = *gathered(*conditions[i]);
        return std::pair(p.base, p.offset_bits);
    };
    std::stable_sort(tests.begin(), tests.end(), [&](size_t a, size_t b) { return place(a) < place(b); });
    PayloadMerge merge;
    uint32_t end = 0, bits = 0;
    auto finish = [&] {
        if (merge.tests.size() < 2) return;
        auto [first, last] = std::minmax_element(merge.tests.begin(), merge.tests.end());
        merge.changes_meaning =
            op_of(*conditions[merge.tests.front()]) == Op::neq || counting_before[*first] != counting_before[*last];
        out.push_back(std::move(merge));
    };
    for (size_t i : tests) {
        Place d = *gathered(*conditions[i]);
        const Condition* last = merge.tests.empty() ? nullptr : conditions[merge.tests.back()];
        std::optional<Place> before = last ? gathered(*last) : std::nullopt;
        if (before && before->base == d.base && d.offset_bits == end && bits + d.length_bits <= 32 &&
            op_of(*last) == op_of(*conditions[i])) {
            merge.tests.push_back(i);
            bits += d.length_bits;
        } else {
            finish();
            merge = PayloadMerge{{i}, false};
            bits = d.length_bits;
        }
        end = d.offset_bits + d.length_bits;
    }
    finish();
}

}  // namespace

std::vector<PayloadMerge> payload_merges(const std::vector<const Condition*>& conditions) {
    std::vector<PayloadMerge> merges;
    std::vector<size_t> counting_before(conditions.size(), 0);
    std::vector<size_t> tests;
    size_t counting = 0;
    for (size_t i = 0; i < conditions.size(); ++i) {
        counting_before[i] = counting;
        if (counts(*conditions[i])) ++counting;
        if (statement(*conditions[i])) {
            // nft merges what it gathered at a statement only if that is two tests or more.
            if (tests.size() >= 2) merge_gathered(conditions, std::exchange(tests, {}), counting_before, merges);
        } else if (gathered(*conditions[i])) {
            tests.push_back(i);
        }
    }
    if (tests.size() >= 2) merge_gathered(conditions, tests, counting_before, merges);
    return merges;
}

}  // namespace ipt2nft
