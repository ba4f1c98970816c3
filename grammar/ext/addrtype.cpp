// addrtype match: the routing table's type of the source or destination address.
#include <fmt/format.h>

#include <algorithm>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {
// In the kernel's order: the index is the route type (RTN_UNSPEC = 0 ...).
constexpr std::string_view address_types[] = {"unspec",   "unicast",   "local",     "broadcast",
                                              "anycast",  "multicast", "blackhole", "unreachable",
                                              "prohibit", "throw",     "nat",       "xresolve"};

// xt_addrtype refuses BROADCAST, BLACKHOLE and PROHIBIT to XRESOLVE for IPv6 (addrtype_mt_checkentry_v1).
bool ipv6_type(std::string_view name) {
    constexpr std::string_view refused[] = {"broadcast", "blackhole", "prohibit", "throw", "nat", "xresolve"};
    return std::find(std::begin(refused), std::end(refused), name) == std::end(refused);
}

void lower_addrtype(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* in = use.find("limit-iface-in");
    const OptionUse* out = use.find("limit-iface-out");
    FibInterface iface = in ? FibInterface::iif : out ? FibInterface::oif : FibInterface::none;
    for (auto [option, field] : {std::pair{"src-type", FibAddress::saddr}, std::pair{"dst-type", FibAddress::daddr}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        const Word& w = o->args[0];
        ValueSet set;
        bool ok = true;
        for (const Word& item : split_list(w)) {
            // libxt_addrtype takes the first type, in the kernel's order, that the word begins
            // (seen: LOC is LOCAL; U is UNSPEC).
            auto number = first_begun_by(address_types, item.text);
            if (!number) {
                ctx.diags.error(item.span,
                                fmt::format("unknown address type '{}'{}", item.text,
                                            did_you_mean(lower_case(item.text),
                                                         std::vector<std::string_view>(std::begin(address_types),
                                                                                       std::end(address_types)))),
                                "bad-value");
                ok = false;
                continue;
            }
            std::string_view name = address_types[*number];
            if (ctx.family == Family::ipv6 && !ipv6_type(name)) {
                ctx.diags.error(
                    item.span,
                    fmt::format("the kernel matches no IPv6 address of type '{}' and refuses the rule", name),
                    "bad-value");
                ok = false;
            } else {
                Value element = uint64_t{*number};
                // A type named twice (LOCAL,loc) is one bit of the kernel's mask.
                if (std::find(set.elements.begin(), set.elements.end(), element) == set.elements.end())
                    set.elements.push_back(std::move(element));
            }
        }
        if (!ok) continue;
        Value v = set.elements.size() == 1 ? set.elements.front() : Value(set);
        ctx.match(Compare{FibSelector{field, iface}, o->inverted ? Op::neq : Op::eq, v, {}}, o->span,
                  in    ? HookLimit::input_interface
                  : out ? HookLimit::output_interface
                        : HookLimit::none);
    }
}
}  // namespace

extern const Extension addrtype_match{
    "addrtype",
    {{"src-type", 1, true}, {"dst-type", 1, true}, {"limit-iface-in", 0, false}, {"limit-iface-out", 0, false}},
    lower_addrtype,
    {.needs_one_of = {"src-type", "dst-type"}, .exclusive = {{"limit-iface-in", "limit-iface-out"}}}};

}  // namespace ipt2nft::grammar
