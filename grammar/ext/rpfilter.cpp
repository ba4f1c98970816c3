// rpfilter match: the reverse path test, as a routing lookup of the source by the input interface.
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

void lower_rpfilter(const ExtensionUse& use, LowerContext& ctx) {
    if (use.find("accept-local")) {
        // nft_fib answers 0 for a source of the host's own (a local route), where xt_rpfilter
        // with --accept-local takes it.
        ctx.untranslatable(use,
                           "nft's fib finds no output interface for a source address of the host's own, which "
                           "--accept-local lets through: --accept-local has no nft translation");
        return;
    }
    // Strict: the route back to the source leaves by the interface the packet came in by; loose:
    // there is a route back at all. --validmark routes by the packet's mark.
    FibSelector lookup{FibAddress::saddr, use.find("loose") ? FibInterface::none : FibInterface::iif, FibResult::oif,
                       use.find("validmark") != nullptr};
    ctx.match(Compare{lookup, use.find("invert") ? Op::eq : Op::neq, uint64_t{0}, {}}, use.span,
              HookLimit::reverse_path);
    // xt_rpfilter fails a route back of any type but unicast; nft_fib answers the interface of a
    // broadcast route too (seen: tests/kernel/reverse_path.py). Only a local subnet's broadcast
    // address as the source tells them apart: IPv6 has no broadcast routes.
    if (ctx.family == Family::ipv4)
        ctx.diags.warning(use.span,
                          "a packet whose source is the broadcast address of one of the host's subnets passes nft's "
                          "reverse path test (its route back is a broadcast route, which xt_rpfilter fails); every "
                          "other source is judged alike",
                          "rpfilter-broadcast");
}

}  // namespace

extern const Extension rpfilter_match{
    "rpfilter",
    {{"loose", 0, false}, {"validmark", 0, false}, {"accept-local", 0, false}, {"invert", 0, false}},
    lower_rpfilter};

}  // namespace ipt2nft::grammar
