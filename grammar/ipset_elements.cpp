// The elements of the sets rules use, read by each set's type into the values of its nft key.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "grammar/ipset.hpp"
#include "grammar/values.hpp"
#include "ir/ipset_intervals.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::grammar {

namespace {

// ipset keeps these protocols' ports; ICMP's type and code also go in a port's place, which
// nft's `th dport` does not load (refused).
std::optional<uint8_t> port_protocol(std::string_view name) {
    if (name == "tcp") return 6;
    if (name == "udp") return 17;
    if (name == "sctp") return 132;
    if (name == "udplite") return 136;
    return std::nullopt;
}

struct ElementReader {
    const Ipset& set;
    ValueReader& values;
    Diagnostics& diags;

    bool refuse(Span at, std::string why) {
        diags.error(at, fmt::format("set {}: {}", set.name, why), "untranslatable-ipset");
        return false;
    }

    // `a`, `a-b` or `a/len`: an address, a range or a prefix.
    std::optional<Value> address(const Word& w, bool network) {
        Family family = set.family;
        if (auto dash = w.text.find('-'); dash != std::string_view::npos) {
            auto low = values.address(w.text.substr(0, dash), w.span, family, ValueReader::AddressSyntax::resolver);
            auto high = values.address(w.text.substr(dash + 1), w.span, family, ValueReader::AddressSyntax::resolver);
            if (!low || !high) return std::nullopt;
            return make_range(*low, *high);
        }
        if (w.text.find('/') != std::string_view::npos || network) {
            auto p = values.prefix(w.text, w.span, family);
            if (!p) return std::nullopt;
            if (prefix_length(p->mask) == p->address.size() * 8) return Value{p->address};
            return Value{*p};
        }
        auto a = values.address(w.text, w.span, family, ValueReader::AddressSyntax::resolver);
        return a ? std::optional<Value>(*a) : std::nullopt;
    }

    // `[proto:]port[-port]`: the protocol (tcp when not given) and the port or range.
    bool port(const Word& w, std::vector<Value>& parts, bool with_protocol) {
        std::string_view text = w.text, protocol = "tcp";
        if (auto colon = text.find(':'); colon != std::string_view::npos && with_protocol) {
            protocol = text.substr(0, colon);
            text = text.substr(colon + 1);
        }
        auto number = port_protocol(protocol);
        if (!number)
            return refuse(w.span, fmt::format("ipset keeps {}'s {} in a port's place, which nft's `th dport` does not "
                                              "load: only tcp, udp, sctp and udplite ports translate",
                                              protocol, protocol.starts_with("icmp") ? "type and code" : "packets"));
        auto dash = text.find('-');
        auto low = values.port(Word{text.substr(0, dash), w.span}, protocol);
        auto high = dash == std::string_view::npos ? low : values.port(Word{text.substr(dash + 1), w.span}, protocol);
        if (!low || !high) return false;
        if (with_protocol) parts.emplace_back(uint64_t{*number});
        parts.push_back(number_or_range(*low, *high));
        return true;
    }

    bool dimension(IpsetDim dim, const Word& w, std::vector<Value>& parts) {
        switch (dim) {
            case IpsetDim::ip:
            case IpsetDim::net: {
                auto v = address(w, dim == IpsetDim::net);
                if (v) parts.push_back(std::move(*v));
                return v.has_value();
            }
            case IpsetDim::port: return port(w, parts, set.method != IpsetMethod::bitmap);
            case IpsetDim::mac: {
                auto m = values.mac(w);
                if (m) parts.emplace_back(*m);
                return m.has_value();
            }
            case IpsetDim::iface:
                if (w.text.starts_with("physdev:"))
                    return refuse(w.span, "a bridge port (physdev:) has no nft key beside the interface's name");
                if (w.text.empty() || w.text.size() > 15)
                    return refuse(w.span, fmt::format("'{}' is no interface name", w.text));
                parts.emplace_back(InterfaceName{w.text, false});
                return true;
            case IpsetDim::mark: {
                auto n = values.number(w, 0, UINT32_MAX, "mark");
                if (n) parts.emplace_back(*n);
                return n.has_value();
            }
        }
        return false;
    }

    // The element's key, or for a bitmap:port, its key for each of TCP and UDP (the only
    // protocols whose ports it matches).
    bool read(const IpsetElement& e, std::vector<Value>& keys) {
        if (e.nomatch && (set.dims.size() != 1 || set.dims.front() != IpsetDim::net))
            return refuse(e.span,
                          "a nomatch element of a set of several dimensions makes an exception nft's concatenated "
                          "sets cannot (the exceptions of hash:net alone are flattened into its intervals)");
        if (e.timeout == 0u)
            return refuse(e.span,
                          "an element that never expires in a set with a timeout: nft 1.0.6 cannot give one (its "
                          "element timeouts are at least a millisecond)");
        Words items = split_list(Word{e.text, e.span});
        if (items.size() != set.dims.size())
            return refuse(e.span, fmt::format("'{}' is not an element of a {} set{}", e.text, set.type_text,
                                              set.method == IpsetMethod::bitmap && items.size() < set.dims.size()
                                                  ? " as nft holds it: ipset fills its MAC in from the first packet"
                                                  : ""));
        std::vector<Value> parts;
        for (size_t i = 0; i < items.size(); ++i)
            if (!dimension(set.dims[i], items[i], parts)) return false;
        if (set.method == IpsetMethod::bitmap && set.dims.front() == IpsetDim::port) {
            for (uint64_t protocol : {6u, 17u}) keys.emplace_back(Concat{{Value{protocol}, parts.front()}});
            return true;
        }
        keys.push_back(parts.size() == 1 ? parts.front() : Value{Concat{std::move(parts)}});
        return true;
    }
};

bool is_interval(const Value& v) {
    return std::visit(overloaded{
                          [](const Range&) { return true; },
                          [](const Prefix&) { return true; },
                          [](const Concat& c) { return std::any_of(c.parts.begin(), c.parts.end(), is_interval); },
                          [](const auto&) { return false; },
                      },
                      v.v);
}

// What a set whose elements are merged into intervals loses of them: refused or said.
bool check_merged(const Ipset& set, Diagnostics& diags) {
    for (const IpsetElement& e : set.elements)
        if (e.timeout) {
            diags.error(e.span,
                        fmt::format("set {}: an element's own timeout in a set of networks or ranges, whose elements "
                                    "nft merges into intervals: give the set one timeout for all",
                                    set.name),
                        "untranslatable-ipset");
            return false;
        }
    auto commented = std::find_if(set.elements.begin(), set.elements.end(),
                                  [](const IpsetElement& e) { return e.comment.has_value(); });
    if (commented != set.elements.end())
        diags.warning(commented->span,
                      fmt::format("set {} holds networks or ranges, which nft merges into intervals: their comments "
                                  "are left out",
                                  set.name),
                      "ipset-comment-dropped");
    auto counted = std::find_if(set.elements.begin(), set.elements.end(), [](const IpsetElement& e) {
        return e.counts && (e.counts->packets || e.counts->bytes);
    });
    if (counted != set.elements.end())
        diags.warning(counted->span,
                      fmt::format("set {} holds networks or ranges, which nft merges into intervals: their counts "
                                  "start again from 0",
                                  set.name),
                      "ipset-counts-dropped");
    return true;
}

void read_elements(Ipset& set, Diagnostics& diags) {
    ValueReader values(diags);
    ElementReader reader{set, values, diags};
    std::vector<IpsetElement> read;
    for (const IpsetElement& e : set.elements) {
        std::vector<Value> keys;
        if (!reader.read(e, keys)) continue;
        for (Value& key : keys) {
            IpsetElement copy = e;
            copy.key = std::move(key);
            set.interval = set.interval || is_interval(copy.key);
            read.push_back(std::move(copy));
        }
    }
    set.elements = std::move(read);
    set.positions.clear();
    if (!ipset_merges_elements(set)) return;
    if (!check_merged(set, diags)) {
        set.elements.clear();
        return;
    }
    set.elements = flatten_addresses(set);
}

template <class F>
void each_used_set(const Ruleset& ruleset, F&& f) {
    for (const Table& table : ruleset.tables)
        for (const Chain& chain : table.chains)
            for (const Rule& rule : chain.rules) {
                for (const Condition& c : rule.conditions)
                    if (auto* lookup = std::get_if<IpsetLookup>(&c.test)) f(lookup->set);
                for (const Statement& s : rule.statements)
                    if (auto* update = std::get_if<IpsetUpdate>(&s.action)) f(update->set);
            }
}

}  // namespace

void read_used_ipset_elements(Ruleset& ruleset, Diagnostics& diags) {
    if (ruleset.ipsets.empty()) return;
    std::unordered_set<std::string_view> used;
    each_used_set(ruleset, [&](std::string_view name) { used.insert(name); });
    std::unordered_map<std::string_view, Ipset*> by_name;
    for (auto& set : ruleset.ipsets) by_name.emplace(set->name, set.get());
    // A list's members are read as if used, each once.
    for (auto& set : ruleset.ipsets)
        if (used.count(set->name) && set->method == IpsetMethod::list)
            for (const IpsetElement& member : set->elements) used.insert(member.text);
    for (auto& set : ruleset.ipsets)
        if (used.count(set->name) && set->method != IpsetMethod::list) read_elements(*set, diags);
    for (auto& set : ruleset.ipsets) {
        if (!used.count(set->name) || set->method != IpsetMethod::list) continue;
        std::vector<const Ipset*> members;
        for (const IpsetElement& member : set->elements) {
            auto found = by_name.find(member.text);
            if (found == by_name.end()) {
                diags.error(member.span, fmt::format("no set {}: ipset refuses it as a member", member.text),
                            "unknown-ipset");
                return;
            }
            members.push_back(found->second);
        }
        merge_list_members(*set, members, diags);
    }
}

}  // namespace ipt2nft::grammar
