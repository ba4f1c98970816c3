// multiport match: up to 15 ports or ranges, as sets.
#include <fmt/format.h>

#include "grammar/ext/ports.hpp"

namespace ipt2nft::grammar {

namespace {

std::optional<ValueSet> port_list(const OptionUse& o, std::string_view protocol, LowerContext& ctx) {
    ValueSet set;
    const Word& w = o.args[0];
    size_t slots = 0;
    for (const Word& item : split_list(w)) {
        auto range = ctx.values.port_range(item, protocol);
        if (!range) return std::nullopt;
        slots += range->first == range->second ? 1 : 2;
        set.elements.push_back(port_value(range->first, range->second));
    }
    if (slots > 15) {
        ctx.diags.error(w.span, "multiport takes at most 15 ports (a range counts as two)", "too-many-ports");
        return std::nullopt;
    }
    return set;
}

void lower_multiport(const ExtensionUse& use, LowerContext& ctx) {
    std::string_view proto = ctx.protocol_word();
    if (proto.empty()) {
        ctx.diags.error(use.span, "multiport needs '-p tcp', '-p udp', '-p udplite', '-p sctp' or '-p dccp' before it",
                        "needs-protocol");
        return;
    }
    for (auto [option, field] : {std::pair{"source-ports", "sport"}, std::pair{"destination-ports", "dport"}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        auto set = port_list(*o, proto, ctx);
        if (!set) continue;
        Value v = set->elements.size() == 1 ? set->elements.front() : Value(*set);
        ctx.match(Compare{PayloadSelector{proto, field}, o->inverted ? Op::neq : Op::eq, v, {}}, o->span);
    }
    if (const OptionUse* o = use.find("ports")) {
        auto set = port_list(*o, proto, ctx);
        if (!set) return;
        // Either port may match: pair each with "any" on the other side.
        ValueSet pairs;
        Value any = make_range(uint64_t{0}, uint64_t{65535});
        for (auto& e : set->elements) pairs.elements.push_back(Concat{{any, e}});
        for (auto& e : set->elements) pairs.elements.push_back(Concat{{e, any}});
        ctx.match(Compare{ConcatSelector{{PayloadSelector{proto, "sport"}, PayloadSelector{proto, "dport"}}},
                          o->inverted ? Op::neq : Op::eq,
                          pairs,
                          {}},
                  o->span);
    }
}

}  // namespace

extern const Extension multiport_match{"multiport",
                                       {{"source-ports", 1, true},
                                        {"sports", 1, true, "source-ports"},
                                        {"destination-ports", 1, true},
                                        {"dports", 1, true, "destination-ports"},
                                        {"ports", 1, true}},
                                       lower_multiport};

}  // namespace ipt2nft::grammar
