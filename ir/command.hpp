// Command: one ruleset-changing operation read from a save file or a command stream.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ir/ipset.hpp"
#include "ir/rule.hpp"
#include "ir/span.hpp"
#include "ir/values.hpp"

namespace ipt2nft {

enum class CommandKind {
    table_begin,    // `*filter`: starts a block that replaces the table at COMMIT
    chain_declare,  // `:INPUT ACCEPT [0:0]` / `:USER - [0:0]`
    commit,         // `COMMIT`
    append,         // -A
    insert,         // -I [n]
    delete_spec,    // -D chain rule-spec
    delete_number,  // -D chain n
    replace,        // -R chain n
    new_chain,      // -N
    delete_chain,   // -X [chain]
    policy,         // -P chain target
    flush,          // -F [chain]
    rename,         // -E old new
    zero,           // -Z [chain]
    check,          // -C chain rule-spec: whether the rule is there; changes nothing
    ipset,          // an ipset command (create, add, flush, destroy), or a line of an `ipset save` file
};

// Whether the script goes on when a command fails: no (`set -e`, `|| exit`), because an operator
// follows it (`iptables ... || true`), or as a shell without `set -e` does.
enum class GoesOn : uint8_t { no, by_operator, without_errexit };

struct Command {
    CommandKind kind = CommandKind::append;
    Family family = Family::ipv4;
    // Names view the input (or the sources' TextStore): commands never copy them.
    std::string_view table = "filter";
    Span table_span;
    std::string_view chain;  // empty for "all chains" forms of -F / -X / -Z
    Span chain_span;
    std::optional<uint32_t> number;  // -I / -D / -R position, 1-based
    Span number_span;
    std::string_view argument;  // policy for -P and declarations, new name for -E
    Span argument_span;
    std::optional<Counters> counters;  // declaration or -P counters
    // The rule of -A/-I/-R/-D. An address list (-s a,b) makes one kernel rule per source and
    // destination address: `rule` is the first, `more_rules` the others, in the order iptables adds
    // them. Apart, so that the one rule of most commands takes no allocation of its own: freed by
    // the replaying thread, it would wait for the reading thread's heap.
    std::optional<Rule> rule;
    std::vector<Rule> more_rules;

    // Calls f on each kernel rule of the command, in order.
    template <class F>
    void each_rule(F&& f) {
        if (!rule) return;
        f(*rule);
        for (Rule& r : more_rules) f(r);
    }
    size_t rule_count() const { return rule ? 1 + more_rules.size() : 0; }
    std::shared_ptr<IpsetChange> ipset;  // of an ipset command: apart, as most commands have none
    Span span;                       // the whole command
    bool from_save = false;          // inside an iptables-save `*table` ... `COMMIT` block
    bool noflush = false;            // table_begin of `iptables-restore --noflush`: the block adds to the table
    GoesOn on_failure = GoesOn::no;  // whether, if it fails, nothing changes and the script goes on
};

// Why a script goes on past a failing command: the words the warning about it says.
inline std::string_view goes_on_reason(GoesOn why) {
    return why == GoesOn::by_operator ? "the `||` or `&&` after it lets the script go on"
                                      : "the shell goes on to the next line, as the script does not `set -e`";
}

}  // namespace ipt2nft
