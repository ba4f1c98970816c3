// Lowering an ipset to a named set: elements laid out as a lookup of its key loads them.
#include "backends/vm/lower_ipset.hpp"

#include "backends/vm/program_builder.hpp"

namespace ipt2nft::vm {

NamedSet lower_ipset(const DeclaredIpset& declared, Family family, bool counters) {
    const Ipset& set = *declared.set;
    ValueSet values;
    values.elements.reserve(set.elements.size());
    for (const IpsetElement& e : set.elements) values.elements.push_back(e.key);
    NamedSet out;
    out.name = set.name;
    out.content = constant_set(values, ipset_declared_key(set), family);
    out.dynamic = declared.updated;
    out.timeouts = set.timeout.has_value() && *set.timeout > 0;
    out.timeout_ms = out.timeouts ? *set.timeout * 1000ull : 0;
    if (declared.updated) out.size = ipset_size(set);
    out.counters = counters && set.counters;
    if (!ipset_merges_elements(set))
        for (const IpsetElement& e : set.elements) {
            out.element_timeouts_ms.push_back(e.timeout ? std::optional<uint64_t>(*e.timeout * 1000ull) : std::nullopt);
            out.comments.push_back(e.comment);
            out.counts.push_back(out.counters && e.counts
                                     ? std::optional<Counter>(Counter{e.counts->packets, e.counts->bytes})
                                     : std::nullopt);
        }
    return out;
}

}  // namespace ipt2nft::vm
