// multiport match: up to 15 ports or ranges, as sets.
#include <fmt/format.h>

#include <algorithm>

#include "grammar/ext/ports.hpp"

namespace ipt2nft::grammar {

namespace {

using PortRanges = std::vector<std::pair<uint16_t, uint16_t>>;

std::optional<PortRanges> port_list(const OptionUse& o, std::string_view protocol, LowerContext& ctx) {
    // iptables checks the protocol when it reads the option: a -p after it comes too late.
    if (ctx.protocol_span.begin > o.span.begin) {
        ctx.diags.error(o.span,
                        fmt::format("--{} needs -p before it: iptables refuses the rule otherwise", o.def->name),
                        "needs-protocol");
        return std::nullopt;
    }
    PortRanges ranges;
    const Word& w = o.args[0];
    size_t slots = 0;
    for (const Word& item : split_list(w)) {
        // Unlike tcp's, multiport's ranges have both ends and go up ('22:', ':22' and '22:22'
        // are refused by iptables).
        auto colon = item.text.find(':');
        if (colon != std::string_view::npos && (colon == 0 || colon + 1 == item.text.size())) {
            ctx.diags.error(item.span, fmt::format("multiport range '{}' needs both ends", item.text), "bad-port");
            return std::nullopt;
        }
        auto range = ctx.values.port_range(item, protocol);
        if (!range) return std::nullopt;
        if (colon != std::string_view::npos && range->first == range->second) {
            ctx.diags.error(
                item.span,
                fmt::format("multiport range '{}' must go up, as iptables requires: write the port alone", item.text),
                "bad-port");
            return std::nullopt;
        }
        slots += range->first == range->second ? 1 : 2;
        ranges.push_back(*range);
    }
    if (slots > 15) {
        ctx.diags.error(w.span, "multiport takes at most 15 ports (a range counts as two)", "too-many-ports");
        return std::nullopt;
    }
    return ranges;
}

// Sorted, with overlapping ranges made one.
PortRanges merged(PortRanges ranges) {
    std::sort(ranges.begin(), ranges.end());
    PortRanges out;
    for (auto r : ranges) {
        if (!out.empty() && r.first <= out.back().second)
            out.back().second = std::max(out.back().second, r.second);
        else
            out.push_back(r);
    }
    return out;
}

// The ports 0-65535 not in `ranges` (merged).
PortRanges outside(const PortRanges& ranges) {
    PortRanges out;
    uint32_t next = 0;
    for (auto [low, high] : ranges) {
        if (low > next) out.emplace_back(static_cast<uint16_t>(next), static_cast<uint16_t>(low - 1));
        next = high + 1u;
    }
    if (next <= 65535) out.emplace_back(static_cast<uint16_t>(next), uint16_t{65535});
    return out;
}

Value port_set(const PortRanges& ranges) {
    ValueSet set;
    for (auto [low, high] : ranges) set.elements.push_back(number_or_range(low, high));
    return set.elements.size() == 1 ? set.elements.front() : Value(set);
}

// --ports: the source or the destination port is in `ports`, as a set of (source . destination)
// pairs. The kernel refuses an element whose first or last key falls inside another element
// (seen: { 0-65535 . 1-65535, 1-65535 . 0-65535 } fails with "File exists"); with the ranges
// merged, that happens only when they reach port 0 or 65535. Then the pairs are made disjoint:
// a listed source port with any destination, an unlisted one with a listed destination.
ValueSet either_port(const PortRanges& ports) {
    ValueSet pairs;
    Value any = number_or_range(0, 65535);
    if (ports.front().first > 0 && ports.back().second < 65535) {
        for (auto [low, high] : ports) pairs.elements.push_back(Concat{{any, number_or_range(low, high)}});
        for (auto [low, high] : ports) pairs.elements.push_back(Concat{{number_or_range(low, high), any}});
        return pairs;
    }
    for (auto [low, high] : ports) pairs.elements.push_back(Concat{{number_or_range(low, high), any}});
    for (auto [other_low, other_high] : outside(ports))
        for (auto [low, high] : ports)
            pairs.elements.push_back(Concat{{number_or_range(other_low, other_high), number_or_range(low, high)}});
    return pairs;
}

void lower_multiport(const ExtensionUse& use, LowerContext& ctx) {
    std::string_view proto = ctx.protocol_word();
    const PortFields* fields = port_fields(ctx.protocol.value_or(0));
    if (!fields) {
        ctx.diags.error(use.span, "multiport needs '-p tcp', '-p udp', '-p udplite', '-p sctp' or '-p dccp' before it",
                        "needs-protocol");
        return;
    }
    for (auto [option, field] :
         {std::pair{"source-ports", fields->source}, std::pair{"destination-ports", fields->destination}}) {
        const OptionUse* o = use.find(option);
        if (!o) continue;
        auto ranges = port_list(*o, proto, ctx);
        if (!ranges) continue;
        ctx.match(Compare{PayloadSelector{field}, o->inverted ? Op::neq : Op::eq, port_set(*ranges), {}}, o->span);
    }
    if (const OptionUse* o = use.find("ports")) {
        auto ranges = port_list(*o, proto, ctx);
        if (!ranges) return;
        ctx.match(Compare{ConcatSelector{{PayloadSelector{fields->source}, PayloadSelector{fields->destination}}},
                          o->inverted ? Op::neq : Op::eq,
                          either_port(merged(*ranges)),
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
                                       lower_multiport,
                                       {.exactly_one_of = {"source-ports", "destination-ports", "ports"}}};

}  // namespace ipt2nft::grammar
