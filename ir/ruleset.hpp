// Ruleset: tables of chains of rules, in the order the kernel would list them.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/ipset.hpp"
#include "ir/rule.hpp"
#include "ir/rule_list.hpp"
#include "ir/span.hpp"
#include "ir/values.hpp"

namespace ipt2nft {

struct Chain {
    std::string_view name;  // views the input or the sources' TextStore
    bool builtin = false;
    Span declared;  // where the chain was created or declared
    // The verdict for packets no rule decides: accept or drop, on built-in chains only; none when
    // the input leaves the kernel's (`-` with --noflush).
    std::optional<VerdictKind> policy;
    Span policy_span;
    std::optional<Counters> policy_counters;
    RuleList rules;
    // For a script that adds to the kernel's tables (--noflush): the kernel may hold rules of
    // this chain ahead of `rules`, which the view cannot see; and whether the chain was made
    // by this input (-N), so that the kernel had none of that name before.
    bool unseen_kernel_rules = false;
    bool made_here = false;

    // Its rules' jumps and gotos to chain `from` go to `to` (a chain renamed).
    void retarget(std::string_view from, std::string_view to);
};

// What a script that adds to the kernel's tables (--noflush) does to chains beyond adding to
// them, written before the table's body in the order the commands did it.
struct KernelEdit {
    enum class Kind { flush_table, flush_chain, delete_chain };
    Kind kind;
    std::string_view chain;  // none for flush_table
};

struct Table {
    Family family = Family::ipv4;
    std::string name;
    Span declared;
    // Built-in chains first, then user chains in creation order. A deque: kube-proxy tables
    // have tens of thousands of chains, and a vector would double (and copy) its storage.
    std::deque<Chain> chains;
    std::vector<KernelEdit> kernel_edits;  // --noflush only
    bool kernel_flushed = false;           // --noflush: a `-F` emptied every chain the kernel holds
    // The ipsets its rules use, each once in the order of first use (resolve_ipsets): nft's sets
    // are a table's, ipset's the whole namespace's, so a set two tables use is declared in both.
    std::vector<DeclaredIpset> ipsets;

    Chain* find(std::string_view chain);
    const Chain* find(std::string_view chain) const;
    static constexpr size_t npos = SIZE_MAX;
    size_t index(std::string_view chain) const;  // position in `chains`, or npos
    Chain& add(Chain chain);
    void remove(std::string_view chain);
    void rename(std::string_view from, std::string_view to);

private:
    // kube-proxy rulesets have tens of thousands of chains: look-ups must not be linear. A chain's
    // slot is its position plus the removed slots before it.
    std::unordered_map<std::string_view, size_t> index_;
    std::vector<size_t> removed_;  // slots of chains removed since the index was last rewritten, sorted
    size_t position(size_t slot) const;
    // The chain found last: save files list a chain's rules together, so most look-ups ask for
    // it again, or for the chain after it. Checked by name, so it is never wrong, only sometimes
    // not the one asked for.
    mutable size_t last_found_ = npos;
};

struct Ruleset {
    std::vector<Table> tables;
    std::vector<std::shared_ptr<Ipset>> ipsets;  // as the input's ipset commands left them

    Table* find(Family family, std::string_view table);
    const Table* find(Family family, std::string_view table) const;
};

const char* family_name(Family f);  // "ip" or "ip6", as nft names the families
uint8_t nfproto(Family f);          // the kernel's number: NFPROTO_IPV4 or NFPROTO_IPV6
const char* nfproto_name(unsigned family);  // nft's word for an NFPROTO_*: "ip", "ip6" or "inet"

// The conntrack helpers rules name (CT --helper), each once: a table holds an object for each,
// which its rules refer to by helper_object_name.
void collect_ct_helpers(const RuleList& rules, std::set<CtHelper>& into);
// `ftp-tcp`: the helper and its protocol, the object's name in both backends, as nft names it.
std::string helper_object_name(const CtHelper& helper);

}  // namespace ipt2nft
