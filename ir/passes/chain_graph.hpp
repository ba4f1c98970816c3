// ChainGraph: a table's jumps and gotos by chain index, and the hooks that reach each chain;
// built once per table and shared by the checks.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ir/netfilter_tables.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

struct ChainReference {
    size_t from;  // chain index in the table
    size_t to;    // chain index, or `unknown`
    const Rule* rule;
    const Verdict* verdict;
    static constexpr size_t unknown = SIZE_MAX;
};

class ChainGraph {
public:
    explicit ChainGraph(const Table& table);

    const std::vector<ChainReference>& references() const { return references_; }
    // The jumps leaving chain `chain`: references are kept in chain order, so they are adjacent.
    std::span<const ChainReference> out(size_t chain) const {
        return std::span(references_).subspan(first_[chain], first_[chain + 1] - first_[chain]);
    }
    // Whether `hook`'s built-in chain reaches chain `chain` through jumps and gotos.
    bool reached_from(size_t chain, Hook hook) const { return hooks_[chain] & bit(hook); }
    bool reached(size_t chain) const { return hooks_[chain] != 0; }
    // A hook that reaches chain `chain` but is not in `allowed`, if there is one.
    std::optional<Hook> hook_outside(size_t chain, std::span<const Hook> allowed) const;

private:
    static uint8_t bit(Hook h) { return static_cast<uint8_t>(1u << static_cast<unsigned>(h)); }
    std::vector<ChainReference> references_;
    std::vector<size_t> first_;  // per chain, its first reference; one more entry for the end
    std::vector<uint8_t> hooks_;
};

// The rules of other chains that jump or go to `chain` (for `-X`: a rare, linear scan).
std::vector<const Rule*> rules_jumping_to(const Table& table, std::string_view chain, const Chain** from = nullptr);

}  // namespace ipt2nft
