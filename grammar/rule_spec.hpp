// Rule specification: matches and target of one iptables command, lowered to an IR Rule.
#pragma once
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "grammar/word.hpp"
#include "ir/diagnostics.hpp"
#include "ir/rule.hpp"
#include "util/text_store.hpp"

namespace ipt2nft::grammar {

// The options of the command itself (-A chain, -t table, ...), read while the rule is.
struct FrameOptions {
    // Offered every word first: returns how many words it consumed as a command option, or 0
    // when the word belongs to the rule specification, or end_of_command when the command ends
    // there, unread and making no rule (iptables-restore stops at `-6` in an IPv4 file: what
    // follows is not read, not even checked).
    std::function<size_t(const Words& words, size_t index)> take;
    // Their long names: getopt takes a prefix of one of them (`--app`), and a prefix shared with
    // a rule's option is ambiguous (`--in`: --in-interface or --insert).
    std::span<const std::string_view> long_names;
};
inline constexpr size_t end_of_command = SIZE_MAX;

// The kernel rules a specification stands for: one, or one per source and destination address of
// a list (sources outermost, as iptables adds them). The first apart: most commands make one, and
// it takes no allocation of its own.
struct KernelRules {
    Rule first;
    std::vector<Rule> more;
};

// Returns the specification's kernel rules, or nullopt after reporting errors.
std::optional<KernelRules> parse_rule_spec(const Words& words, size_t begin, Family family, TextStore& store,
                                           Diagnostics& diags, const FrameOptions& frame);

}  // namespace ipt2nft::grammar
