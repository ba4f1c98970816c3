// Protocol requirement of protocol matches, reported where the match is named.
#include "grammar/ext/needs_protocol.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ir/protocols.hpp"

namespace ipt2nft::grammar {

bool require_protocol(const ExtensionUse& use, LowerContext& ctx, uint8_t protocol, std::string_view name) {
    if (ctx.protocol == protocol) return true;
    Span at = use.options.empty() ? use.span : use.options.front().span;
    ctx.diags.error(at,
                    fmt::format("the {} match needs '-p {}' before it{}", use.name, name,
                                ctx.protocol_inverted ? ", not negated" : ""),
                    "needs-protocol");
    return false;
}

bool target_requires_protocol(const ExtensionUse& use, LowerContext& ctx, std::initializer_list<uint8_t> protocols) {
    if (ctx.protocol && std::find(protocols.begin(), protocols.end(), *ctx.protocol) != protocols.end()) return true;
    std::string wanted;
    for (uint8_t p : protocols)
        wanted += fmt::format("{}'-p {}'", wanted.empty() ? "" : " or ", find_protocol(p)->nft_name);
    ctx.diags.error(use.span,
                    fmt::format("{} needs {}{}", use.name, wanted, ctx.protocol_inverted ? ", not negated" : ""),
                    "needs-protocol");
    return false;
}

}  // namespace ipt2nft::grammar
