// list:set as nft can hold it: one set, the union of its members' elements.
#include <fmt/format.h>

#include <algorithm>

#include "grammar/ipset.hpp"
#include "ir/ipset_intervals.hpp"

namespace ipt2nft::grammar {

namespace {

bool refuse(const Ipset& list, Span at, std::string why, Diagnostics& diags) {
    diags.error(at, fmt::format("list:set {}: {}", list.name, why), "untranslatable-ipset");
    return false;
}

}  // namespace

bool merge_list_members(Ipset& list, const std::vector<const Ipset*>& members, Diagnostics& diags) {
    if (members.empty()) return refuse(list, list.declared, "it has no member: write no rule for it", diags);
    const Ipset& first = *members.front();
    for (const Ipset* m : members) {
        if (m->method == IpsetMethod::list) return refuse(list, m->declared, "ipset nests no list:set", diags);
        if (m->dims != first.dims || m->family != first.family)
            return refuse(list, m->declared,
                          fmt::format("its members are of different types ({} {} and {} {}), which one nft set "
                                      "cannot hold: write a rule per member",
                                      first.type_text, family_name(first.family), m->type_text, family_name(m->family)),
                          diags);
        if (m->timeout.has_value() != first.timeout.has_value())
            return refuse(list, m->declared,
                          "some of its members' elements time out and others' never do, which one nft set of "
                          "nft 1.0.6 cannot hold",
                          diags);
        if (!m->refusal.empty()) return refuse(list, m->refusal_span, m->refusal, diags);
    }
    std::vector<IpsetElement> elements;
    list.members.clear();
    for (const Ipset* m : members) {
        list.members.push_back(m->name);
        list.interval = list.interval || m->interval;
        list.counters = list.counters || m->counters;
        for (IpsetElement e : m->elements) {
            // Each element keeps its member's timeout, which the union set gives no default for.
            if (!e.timeout && m->timeout) e.timeout = m->timeout;
            elements.push_back(std::move(e));
        }
    }
    list.method = first.method;
    list.dims = first.dims;
    list.family = first.family;
    list.type_text = first.type_text;
    list.timeout = first.timeout;
    list.elements = std::move(elements);
    list.positions.clear();
    // Members' networks may overlap one another: one set of the intervals any of them matches.
    if (ipset_merges_elements(list)) list.elements = flatten_addresses(list);
    return true;
}

}  // namespace ipt2nft::grammar
