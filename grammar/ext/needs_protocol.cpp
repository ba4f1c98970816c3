// Protocol requirement of protocol matches, reported where the match is named.
#include "grammar/ext/needs_protocol.hpp"

#include <fmt/format.h>

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

}  // namespace ipt2nft::grammar
