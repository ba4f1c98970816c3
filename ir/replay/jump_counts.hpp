// JumpCounts: per chain of a table, how many rules of other chains jump or go to it, kept up to
// date through the edits of a replay, so that deleting chain after chain (-X) does not count anew.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ir/ruleset.hpp"

namespace ipt2nft {

// A teardown script deletes thousands of chains, each after a command that edits a rule (`-D
// INPUT -j X`, `-F X`, `-X X`): counting every jump of the table at each -X costs the square of
// its size. The counts are of one table, made at the first question about it; each edit of its
// rules is noted (a rule put or taken out, a chain emptied or renamed), and anything else that may
// change the table, or move it, forgets them. A count must never be too low: a chain counted as
// jumped to is looked for in the rules before -X is refused, so a count too high costs only that.
class JumpCounts {
public:
    bool jumped_to(const Table& t, std::string_view chain);
    void forget() { table_ = nullptr; }

    // Edits of `t`'s rules, noted when the counts are of `t`.
    void added(const Table& t, const Chain& in, const Rule& r) { note(t, in, r, +1); }
    void removing(const Table& t, const Chain& in, const Rule& r) { note(t, in, r, -1); }
    void emptying(const Table& t, const Chain& ch);
    void renamed(const Table& t, std::string_view from, std::string_view to);

private:
    void note(const Table& t, const Chain& in, const Rule& r, int change);

    // Looks names up by view, and keeps its own copies: views of rules would dangle when they go.
    struct NameHash {
        using is_transparent = void;
        size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
    };
    const Table* table_ = nullptr;
    std::unordered_map<std::string, size_t, NameHash, std::equal_to<>> to_;  // only chains jumped to
};

}  // namespace ipt2nft
