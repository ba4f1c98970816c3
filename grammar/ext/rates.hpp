// Rates as xt_limit and xt_hashlimit read them: N/unit, kept as a whole number of ticks per token.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "grammar/word.hpp"
#include "ir/condition.hpp"
#include "ir/diagnostics.hpp"

namespace ipt2nft::grammar {

// `N[/second|minute|hour|day]` (any prefix of the unit, in any case; per second without one), N
// read as iptables reads it, then rounded as the kernel keeps it: the interval between tokens is
// a whole number of ticks (10,000 a second for limit, 1,000,000 for hashlimit), and iptables gives
// nft the rate that interval makes, in the largest unit that still says it well (print_rate).
// `whole_count`: the count must be all digits (limit's strtoul), else its leading digits count
// (hashlimit's atoll). Reports a bad or too fast rate at the word. `given_unit`, if set, gets the
// seconds of the unit as written (hashlimit's default expiry is one of them).
std::optional<RateLimit> read_rate(const Word& w, uint64_t ticks_per_second, bool whole_count, std::string_view module,
                                   Diagnostics& diags, uint64_t* given_unit = nullptr);

}  // namespace ipt2nft::grammar
