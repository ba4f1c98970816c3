// ChainLookups: what a replay keeps to find rules by specification and chains jumped to without
// looking at every rule, told of each edit of the rules before it is made.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/command.hpp"
#include "ir/replay/jump_counts.hpp"
#include "ir/replay/spec_index.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

class ChainLookups {
public:
    // Forgets what the command may make wrong, before it runs. Rules put, replaced or taken out
    // one place at a time are noted as they go; a chain emptied, deleted or made loses its own
    // index alone, as the others' rules stay as they were; anything else, a rename too (the jumps
    // to the chain change), may change rules anywhere.
    void forget_what_changes(const Command& c);
    // A table made or dropped may have moved the others.
    void tables_moved() { jumps_.forget(); }

    // The index for a look into the chain by specification, having seen every rule. The first
    // look since the indexes were last forgotten gets none, and goes along the chain: making an
    // index costs more than a look, and a command between may forget it again (`-D INPUT -j X`,
    // `-X X`, and so on for thousands of chains). A look for many rules at once gets one at once.
    const SpecIndex* index_to_look(const Table& t, const Chain& ch, bool many);
    bool jumped_to(const Table& t, std::string_view chain) { return jumps_.jumped_to(t, chain); }

    // Edits of chain `ch` of table `t`, told before they are made.
    void appending(const Table& t, const Chain& ch, const Rule& r) { jumps_.added(t, ch, r); }
    void inserting(const Table& t, const Chain& ch, size_t at, const std::vector<Rule>& rules);
    void erasing(const Table& t, const Chain& ch, size_t at);
    void erasing(const Table& t, const Chain& ch, const std::unordered_set<size_t>& places);  // all at once
    void replacing(const Table& t, const Chain& ch, size_t at, const Rule& by);
    void emptying(const Table& t, const Chain& ch) { jumps_.emptying(t, ch); }
    void renaming(const Table& t, std::string_view from, std::string_view to) { jumps_.renamed(t, from, to); }

private:
    static std::string index_name(Family family, std::string_view table, std::string_view chain);
    // The chain's index if it has one, having seen every rule: an edit is to be noted in it.
    SpecIndex* followed_index(const Table& t, const Chain& ch);

    // By family, table and chain name, which outlive moves. A chain looked in once since the
    // indexes were last forgotten has none (nullopt): the look went along the chain.
    std::unordered_map<std::string, std::optional<SpecIndex>> indexes_;
    // Whether the indexes are of the chains of a restore block's table, whose names the live
    // chains share: a block left without COMMIT is followed by commands on the live ruleset.
    bool indexes_of_block_ = false;
    JumpCounts jumps_;
};

}  // namespace ipt2nft
