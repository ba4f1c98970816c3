// Rule: conditions, statements and where the rule came from.
#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/condition.hpp"
#include "ir/span.hpp"
#include "ir/statement.hpp"

namespace ipt2nft {

struct Counters {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    bool operator==(const Counters&) const = default;
};

struct RuleOrigin {
    Span span;                // the rule text on its source line
    Span target_span;         // the -j/-g option, for diagnostics about targets
    Span in_interface_span;   // -i, when present
    Span out_interface_span;  // -o, when present
    std::optional<Counters> counters;
    std::optional<std::string_view> comment;  // views the input or the sources' TextStore
    Span comment_span;
    // One of the kernel rules of an address list (-s a,b): its siblings share its span.
    bool address_list = false;
    // --noflush: put by -I ahead of the rules the kernel holds in its chain, which the script
    // does with `insert rule` once the chain is there.
    bool ahead_of_kernel_rules = false;
    // The second kernel rule of a conntrack match's pair (split_rule_pairs): it goes
    // right after the first, wherever that one goes.
    bool second_of_pair = false;
};

struct Rule {
    std::vector<Condition> conditions;
    std::vector<Statement> statements;
    RuleOrigin origin;
    // The target extension's name (DNAT, REJECT, ...) for table/hook legality checks; empty for
    // verdicts and jumps. Points at the extension registry's static name.
    std::string_view target;
    // Whether -i / -o were given (possibly wildcard), for the interface/hook checks.
    bool has_in_interface = false;
    bool has_out_interface = false;
    // The states of packets without a connection that the rule's conntrack match lets through
    // while it has more tests than nft's `ct state` can make on such a packet (`! --ctstate
    // RELATED,ESTABLISHED,DNAT`: DNAT is a `ct status` test). xt_conntrack tests only the state
    // for them, so nft needs a second rule: the same with `ct state` of these in place of the
    // match's conditions. The two never match one packet: the first needs a connection.
    enum ConnectionlessState : uint8_t { connectionless_invalid = 1, connectionless_untracked = 2 };
    uint8_t connectionless_states = 0;
    // The match modules of the rule, in order, as a hash of their names: iptables -D tells
    // `-m state --state NEW` from `-m conntrack --ctstate NEW`, which test the same.
    uint32_t match_modules = 0;

    bool untranslatable() const {
        return std::any_of(statements.begin(), statements.end(),
                           [](const Statement& s) { return std::holds_alternative<Untranslatable>(s.action); });
    }

    // Equality as `iptables -D rule-spec` compares: the matches and target as the kernel holds
    // them (flags in any order, a rate in any unit), not counters or spans.
    bool same_spec(const Rule& other) const;
};

// The test the second kernel rule of a conntrack match makes in place of the match's tests
// (Rule::connectionless_states): `ct state` of the states it lets through without a connection.
Condition connectionless_state_test(const Rule& rule);

// Whether conditions[i] is a -p test of the protocol's own match that a later test of a field of
// that protocol's header implies, with no rate or count between them (which would then count
// packets of every protocol): nft adds such a protocol test itself before the header's first
// field, so its text and its lowering leave this one out, as iptables-translate does.
bool implied_protocol_test(const std::vector<Condition>& conditions, size_t i);
// The rule's conditions as nft is given them, in order: its implied protocol tests left out.
std::vector<const Condition*> written_conditions(const Rule& rule);

}  // namespace ipt2nft
