// The TOS names of RFC 1349 and numbers with masks, as the tos match and the TOS target take them.
#include "grammar/ext/tos_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include "grammar/values.hpp"
#include "util/suggest.hpp"

namespace ipt2nft::grammar {

std::optional<TosValue> tos_value(const Word& w, LowerContext& ctx) {
    static const std::pair<std::string_view, uint8_t> names[] = {{"Minimize-Delay", 0x10},
                                                                 {"Maximize-Throughput", 0x08},
                                                                 {"Maximize-Reliability", 0x04},
                                                                 {"Minimize-Cost", 0x02},
                                                                 {"Normal-Service", 0x00}};
    // Names in any case (seen: `minimize-cost` is 0x02/0x3f), and alone: no mask after them.
    auto it = std::find_if(std::begin(names), std::end(names), [&](auto& p) { return equals_nocase(p.first, w.text); });
    if (it != std::end(names)) return TosValue{it->second, 0x3f};
    if (w.text.empty() || !std::isdigit(static_cast<unsigned char>(w.text.front()))) {
        std::vector<std::string_view> known;
        for (const auto& p : names) known.push_back(p.first);
        ctx.diags.error(w.span,
                        fmt::format("unknown TOS name '{}'{} (a name stands alone; a number takes a /mask)", w.text,
                                    did_you_mean(w.text, known)),
                        "bad-value");
        return std::nullopt;
    }
    auto m = ctx.values.mark(w);
    if (!m) return std::nullopt;
    uint32_t mask = w.text.find('/') == std::string::npos ? 0xff : m->second;
    if (m->first > 0xff || mask > 0xff) {
        ctx.diags.error(w.span, fmt::format("TOS value '{}' does not fit in a byte", w.text), "out-of-range");
        return std::nullopt;
    }
    return TosValue{m->first, mask};
}

}  // namespace ipt2nft::grammar
