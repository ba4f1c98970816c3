// xt_set's direction flags, read as libxt_set reads them.
#include "grammar/ext/ipset_flags.hpp"

#include <fmt/format.h>

namespace ipt2nft::grammar {

std::optional<IpsetFlags> ipset_flags(const Word& w, Diagnostics& diags) {
    IpsetFlags flags;
    for (const Word& item : split_list(w)) {
        if (flags.count == 6) {  // IPSET_DIM_MAX
            diags.error(item.span, "a set's key has at most 6 dimensions", "bad-value");
            return std::nullopt;
        }
        if (item.text != "src" && item.text != "dst") {
            diags.error(item.span, fmt::format("'{}' is neither src nor dst", item.text), "bad-value");
            return std::nullopt;
        }
        if (item.text == "src") flags.sources |= static_cast<uint8_t>(1u << flags.count);
        ++flags.count;
    }
    return flags;
}

}  // namespace ipt2nft::grammar
