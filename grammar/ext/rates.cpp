// Rates as xt_limit and xt_hashlimit read them: N/unit, kept as a whole number of ticks per token.
#include "grammar/ext/rates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <utility>

#include "grammar/values.hpp"

namespace ipt2nft::grammar {

namespace {
// The units of a rate, in the order iptables tries a prefix.
constexpr std::pair<const char*, uint64_t> units[] = {{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}};
}  // namespace

std::optional<RateLimit> read_rate(const Word& w, uint64_t ticks_per_second, bool whole_count, std::string_view module,
                                   Diagnostics& diags, uint64_t* given_unit) {
    auto slash = w.text.find('/');
    std::string_view count = std::string_view(w.text).substr(0, slash);
    uint64_t n = 0;
    auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), n, 10);
    if (error != std::errc() || (whole_count && end != count.data() + count.size())) n = 0;
    std::string_view unit = slash == std::string::npos ? "s" : std::string_view(w.text).substr(slash + 1);
    auto given = std::find_if(std::begin(units), std::end(units),
                              [&](auto& u) { return !unit.empty() && starts_with_nocase(u.first, unit); });
    if (given == std::end(units) || n == 0) {
        diags.error(w.span, fmt::format("'{}' is not a rate (N/second, N/minute, N/hour or N/day, N > 0)", w.text),
                    "bad-rate");
        return std::nullopt;
    }
    if (n > ticks_per_second * given->second) {
        diags.error(
            w.span,
            fmt::format("rate {} is too fast for the {} match (at most {}/second)", w.text, module, ticks_per_second),
            "bad-rate");
        return std::nullopt;
    }
    if (given_unit) *given_unit = given->second;
    // `255/sec` is 256/second in xt_limit (seen), its interval being 39 ticks.
    uint64_t interval = ticks_per_second * given->second / n;
    size_t chosen = std::size(units) - 1;
    while (chosen > 0) {
        uint64_t smaller = ticks_per_second * units[chosen - 1].second;
        if (interval > smaller || smaller / interval < smaller % interval) break;
        --chosen;
    }
    return RateLimit{ticks_per_second * units[chosen].second / interval, units[chosen].second, 0};
}

}  // namespace ipt2nft::grammar
