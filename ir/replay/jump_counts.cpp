// JumpCounts: the jumps to each chain of a table, counted once and then kept up to date.
#include "ir/replay/jump_counts.hpp"

namespace ipt2nft {

void JumpCounts::note(const Table& t, const Chain& in, const Rule& r, int change) {
    if (table_ != &t) return;
    for (const auto& s : r.statements) {
        const Verdict* v = chain_jump(s);
        if (!v || v->chain == in.name) continue;  // a chain's jumps to itself do not hold it
        auto it = to_.find(v->chain);
        if (change > 0 && it == to_.end()) {
            to_.emplace(v->chain, 1);
        } else if (change > 0) {
            ++it->second;
        } else if (it != to_.end() && --it->second == 0) {
            to_.erase(it);
        }
    }
}

bool JumpCounts::jumped_to(const Table& t, std::string_view chain) {
    if (table_ != &t) {
        to_.clear();
        table_ = &t;
        for (const auto& ch : t.chains)
            for (const auto& r : ch.rules) added(t, ch, r);
    }
    return to_.contains(chain);
}

void JumpCounts::emptying(const Table& t, const Chain& ch) {
    if (table_ != &t) return;
    for (const auto& r : ch.rules) removing(t, ch, r);
}

void JumpCounts::renamed(const Table& t, std::string_view from, std::string_view to) {
    if (table_ != &t) return;
    auto it = to_.find(from);
    if (it == to_.end()) return;
    size_t count = it->second;
    to_.erase(it);
    if (auto at = to_.find(to); at != to_.end()) {
        at->second += count;  // --noflush: rules may jump to a chain ipt2nft has not seen
    } else {
        to_.emplace(to, count);
    }
}

}  // namespace ipt2nft
