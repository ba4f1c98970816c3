// What lowering a rule's conditions and statements shares: the program so far and the encoding of
// values as register bytes.
#pragma once
#include <optional>

#include "backends/vm/expressions.hpp"
#include "ir/inet_table.hpp"
#include "ir/rule.hpp"

namespace ipt2nft::vm {

// `value` as `length` bytes in the given order.
Bytes number_bytes(uint64_t value, uint32_t length, ipt2nft::ByteOrder order);

struct ProgramBuilder {
    Program program;
    Family family;
    // The transport protocol the rule has tested so far (`ip protocol`, `meta l4proto`, `ct
    // protocol`): nft adds a `meta l4proto` test before the first header field of a protocol
    // the rule has not tested, as it does for the nft text of the rule.
    std::optional<uint64_t> protocol_context;
    bool link_layer_tested = false;  // `meta iiftype ether`, which nft adds before ether fields
    Span source{};                   // the condition or statement being lowered
    InetPlace place = InetPlace::none;  // an inet table's rule (--inet): for both families, or its own

    template <typename E>
    void add(E expression) {
        program.expressions.emplace_back(std::move(expression));
        program.sources.push_back(source);
    }
};

void lower_condition(const Condition& c, ProgramBuilder& b);
// The conditions in order, tests of neighbouring header fields merged as nft merges them.
void lower_conditions(const std::vector<const Condition*>& conditions, ProgramBuilder& b);
void lower_statement(const Statement& s, ProgramBuilder& b);
// Loads a named set's key (a concatenation's fields each in registers of its own); returns the
// register it starts at.
Register load_key(const Selector& key, ProgramBuilder& b);
// The elements `values` as a named set keyed by `key` holds them (ranges as intervals, merged).
AnonymousSet constant_set(const ValueSet& values, const Selector& key, Family family);

}  // namespace ipt2nft::vm
