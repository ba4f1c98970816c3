// Ruleset: tables of chains of rules, in the order the kernel would list them.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/rule.hpp"
#include "ir/span.hpp"
#include "ir/values.hpp"

namespace ipt2nft {

struct Chain {
    std::string_view name;  // views the input or the sources' TextStore
    bool builtin = false;
    Span declared;                           // where the chain was created or declared
    std::optional<std::string_view> policy;  // "ACCEPT" or "DROP" on built-in chains (views the input)
    Span policy_span;
    std::optional<Counters> policy_counters;
    std::vector<Rule> rules;
    // Declared by a `:CHAIN` line of an iptables-restore --noflush run, which empties the
    // chain in the kernel first: a script that adds to the kernel's tables must flush it too.
    bool emptied_first = false;
};

struct Table {
    Family family = Family::ipv4;
    std::string name;
    Span declared;
    // Built-in chains first, then user chains in creation order. A deque: kube-proxy tables
    // have tens of thousands of chains, and a vector would double (and copy) its storage.
    std::deque<Chain> chains;

    Chain* find(std::string_view chain);
    const Chain* find(std::string_view chain) const;
    static constexpr size_t npos = SIZE_MAX;
    size_t index(std::string_view chain) const;  // position in `chains`, or npos
    Chain& add(Chain chain);
    void remove(std::string_view chain);
    void rename(std::string_view from, std::string_view to);

private:
    // kube-proxy rulesets have tens of thousands of chains: look-ups must not be linear.
    std::unordered_map<std::string_view, size_t> index_;
    // The chain found last: save files list a chain's rules together, so most look-ups ask for
    // it again, or for the chain after it. Checked by name, so it is never wrong, only sometimes
    // not the one asked for.
    mutable size_t last_found_ = npos;
    void reindex();
};

struct Ruleset {
    std::vector<Table> tables;

    Table* find(Family family, std::string_view table);
    const Table* find(Family family, std::string_view table) const;
};

const char* family_name(Family f);  // "ip" or "ip6", as nft names the families

}  // namespace ipt2nft
