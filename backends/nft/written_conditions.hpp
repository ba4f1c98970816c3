// The conditions of a rule as nft is given them, in the script and in JSON alike.
#pragma once
#include <optional>

#include "backends/nft/print_value.hpp"
#include "ir/rule.hpp"

namespace ipt2nft::nft {

// Calls visit(condition, raw) for each condition nft is given, in order. nft adds an implied
// protocol test itself (implied_protocol_test), so those are left out. nft takes a `ct original
// protocol` test as the protocol of the headers tested after it, and refuses a header of another
// one (an ICMP error of a TCP connection, say): such fields are written `raw`, as bits of the
// transport header, the same load and compare in the kernel.
template <typename Visit>
void for_each_written_condition(const Rule& rule, Visit&& visit) {
    std::optional<uint64_t> connection_protocol;
    for (size_t i = 0; i < rule.conditions.size(); ++i) {
        if (implied_protocol_test(rule.conditions, i)) continue;
        const Condition& c = rule.conditions[i];
        auto* cmp = std::get_if<Compare>(&c.test);
        auto header = cmp ? transport_protocol(cmp->selector) : std::nullopt;
        visit(c, header && connection_protocol && *header != *connection_protocol);
        auto* ct = cmp ? std::get_if<CtSelector>(&cmp->selector) : nullptr;
        if (ct && ct->key == CtKey::protocol && cmp->op == Op::eq)
            if (auto* n = std::get_if<uint64_t>(&cmp->value.v)) connection_protocol = *n;
    }
}

}  // namespace ipt2nft::nft
