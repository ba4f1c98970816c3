// ChainLookups: the specification indexes and jump counts of a replay, kept through its edits.
#include "ir/replay/chain_lookups.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace ipt2nft {

void ChainLookups::forget_what_changes(const Command& c) {
    bool block_edge =
        c.kind == CommandKind::table_begin || c.kind == CommandKind::commit || c.kind == CommandKind::chain_declare;
    if (block_edge || (c.kind == CommandKind::delete_chain && c.chain.empty())) jumps_.forget();
    if (c.from_save != indexes_of_block_) {
        indexes_.clear();
        indexes_of_block_ = c.from_save;
    }
    switch (c.kind) {
        case CommandKind::append:
        case CommandKind::insert:
        case CommandKind::replace:
        case CommandKind::delete_spec:
        case CommandKind::delete_number:
        case CommandKind::check:
        case CommandKind::policy:
        case CommandKind::zero: return;
        case CommandKind::flush:
        case CommandKind::delete_chain:
        case CommandKind::new_chain:
            if (c.chain.empty()) break;
            indexes_.erase(index_name(c.family, c.table, c.chain));
            return;
        default: break;
    }
    indexes_.clear();
}

std::string ChainLookups::index_name(Family family, std::string_view table, std::string_view chain) {
    return fmt::format("{} {} {}", family_name(family), table, chain);
}

const SpecIndex* ChainLookups::index_to_look(const Table& t, const Chain& ch, bool many) {
    auto [it, first_look] = indexes_.try_emplace(index_name(t.family, t.name, ch.name));
    if (first_look && !many) return nullptr;
    if (!it->second) it->second.emplace();
    it->second->take_in_appended(ch.rules);
    return &*it->second;
}

SpecIndex* ChainLookups::followed_index(const Table& t, const Chain& ch) {
    if (indexes_.empty()) return nullptr;
    auto it = indexes_.find(index_name(t.family, t.name, ch.name));
    if (it == indexes_.end() || !it->second) return nullptr;
    it->second->take_in_appended(ch.rules);
    return &*it->second;
}

void ChainLookups::inserting(const Table& t, const Chain& ch, size_t at, const std::vector<Rule>& rules) {
    for (const Rule& r : rules) jumps_.added(t, ch, r);
    if (SpecIndex* index = followed_index(t, ch); index && !index->inserting(at, rules, ch.rules))
        indexes_.erase(index_name(t.family, t.name, ch.name));
}

void ChainLookups::erasing(const Table& t, const Chain& ch, size_t at) {
    if (SpecIndex* index = followed_index(t, ch)) index->erasing(ch.rules[at], at);
    jumps_.removing(t, ch, ch.rules[at]);
}

void ChainLookups::erasing(const Table& t, const Chain& ch, const std::unordered_set<size_t>& places) {
    // Seen by the index once, before any: the chain holds them all until they go at once.
    SpecIndex* index = followed_index(t, ch);
    std::vector<size_t> last_first(places.begin(), places.end());
    std::sort(last_first.begin(), last_first.end(), std::greater<>());  // so that each place holds
    for (size_t at : last_first) {
        if (index) index->erasing(ch.rules[at], at);
        jumps_.removing(t, ch, ch.rules[at]);
    }
}

void ChainLookups::replacing(const Table& t, const Chain& ch, size_t at, const Rule& by) {
    if (SpecIndex* index = followed_index(t, ch)) index->replacing(ch.rules[at], by, at);
    jumps_.removing(t, ch, ch.rules[at]);
    jumps_.added(t, ch, by);
}

}  // namespace ipt2nft
