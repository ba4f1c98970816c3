// SpecIndex: finds the rules of a chain equal to a rule specification (-C, -D) without comparing
// the specification with every rule, and follows the chain's edits.
#pragma once
#include <cstdint>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ir/rule_list.hpp"

namespace ipt2nft {

// Scripts test or delete a rule by its specification thousands of times over (`iptables -C ... ||
// iptables -A ...`, `iptables -D ... || true` before adding it again, a blocklist taken down):
// looking along the chain each time costs the square of its length. The index puts a chain's
// rules in buckets by what equality compares exactly (modules, target, comment, sizes, numbers
// such as ports, addresses, jumps), and knows each rule by a slot number that keeps the chain's
// order; libstdc++'s order-statistics tree of the slots gives a rule's place in the chain,
// however many rules were put or taken before it.
class SpecIndex {
public:
    // Takes in the rules appended since the index last saw the chain. Every other edit of the
    // chain must be noted below, after this has seen the chain as it was before the edit.
    void take_in_appended(const RuleList& rules);

    // The place of the first rule, in chain order, that may equal `spec` and for which `accept`
    // holds; `accept` compares.
    std::optional<size_t> find(const Rule& spec, const std::function<bool(size_t)>& accept) const;

    // `rules` are about to be put at `at` of `chain`, in their order. False when no slots are left
    // for them: the index cannot follow the chain any more and must be dropped.
    [[nodiscard]] bool inserting(size_t at, const std::vector<Rule>& rules, const RuleList& chain);
    // `rule`, at `at`, is about to be taken out, or replaced by `by`.
    void erasing(const Rule& rule, size_t at);
    void replacing(const Rule& rule, const Rule& by, size_t at);

    using Slot = uint64_t;

private:
    using Order = __gnu_pbds::tree<Slot, __gnu_pbds::null_type, std::less<Slot>, __gnu_pbds::rb_tree_tag,
                                   __gnu_pbds::tree_order_statistics_node_update>;

    static uint64_t key(const Rule& r);
    void add(const Rule& r, Slot slot);
    void remove(const Rule& r, Slot slot);
    bool respread(size_t at, const std::vector<Rule>& rules, const RuleList& chain, Slot near);

    Order slots_;                                             // the slots of the chain's rules
    std::unordered_map<uint64_t, std::vector<Slot>> by_key_;  // each bucket in chain order
};

}  // namespace ipt2nft
