// Selectors and values as libnftables JSON: the words are the script's (print_value), so both
// forms of a translation name every value alike.
#include "backends/json/json_expression.hpp"

#include <algorithm>

#include "backends/nft/nft_names.hpp"
#include "backends/nft/print_value.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::json {

using json = nlohmann::ordered_json;

namespace {

json payload(const PayloadSelector& p, bool raw) {
    const PayloadDescriptor& d = describe(p.field);
    // An IPv6 extension header: `exthdr NAME` for its presence, else the header's field.
    if (d.base == HeaderBase::ipv6_extension && d.type == Datatype::boolean) return {{"exthdr", {{"name", d.field}}}};
    if (d.base == HeaderBase::ipv6_extension) return {{"exthdr", {{"name", d.protocol}, {"field", d.field}}}};
    if ((raw && d.base == HeaderBase::transport) || d.field.empty())
        return {{"payload", {{"base", raw_base_word(d.base)}, {"offset", d.offset_bits}, {"len", d.length_bits}}}};
    return {{"payload", {{"protocol", d.protocol}, {"field", d.field}}}};
}

// A word of the script; where it lists flags (`syn,ack`), a list: their union.
json word_or_flags(const std::string& word, Datatype type) {
    bool flags_type = type == Datatype::tcp_flags || type == Datatype::ct_state || type == Datatype::ct_status;
    if (!flags_type || word.find(',') == std::string::npos) return immediate(word);
    json flags = json::array();
    for (size_t start = 0, comma; start <= word.size(); start = comma + 1) {
        comma = std::min(word.find(',', start), word.size());
        flags.push_back(word.substr(start, comma - start));
    }
    return flags;
}

}  // namespace

json immediate(std::string_view word) {
    bool decimal = !word.empty() && word.size() < 20 &&
                   std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                   (word.size() == 1 || word[0] != '0');
    if (decimal) return std::stoull(std::string(word));
    return std::string(word);
}

json selector(const Selector& s, bool raw) {
    return std::visit(
        overloaded{
            [&](const PayloadSelector& p) { return payload(p, raw); },
            [](const MetaSelector& m) {
                return json{{"meta", {{"key", describe(m.key).word}}}};
            },
            [](const CtSelector& c) {
                json ct = {{"key", describe(c.key).word}};
                if (c.direction != CtDirection::none)
                    ct["dir"] = c.direction == CtDirection::original ? "original" : "reply";
                return json{{"ct", ct}};
            },
            [](const FibSelector& f) {
                json flags = {f.address == FibAddress::saddr ? "saddr" : "daddr"};
                if (f.mark) flags.push_back("mark");
                if (f.interface != FibInterface::none)
                    flags.push_back(f.interface == FibInterface::iif ? "iif" : "oif");
                return json{{"fib", {{"result", f.result == FibResult::type ? "type" : "oif"}, {"flags", flags}}}};
            },
            // The option's presence by its kind number: nft names only some kinds.
            [](const TcpOptionSelector& t) {
                return json{{"tcp option", {{"base", t.kind}, {"offset", 0}, {"len", 8}}}};
            },
            [](const OsfSelector& o) {
                json osf = {{"key", "name"}};
                if (auto ttl = nft::osf_ttl_name(o.ttl); !ttl.empty()) osf["ttl"] = ttl;
                return json{{"osf", osf}};
            },
            [](const TcpMssSelector&) {
                return json{{"tcp option", {{"name", "maxseg"}, {"field", "size"}}}};
            },
            [](const NumgenSelector& n) {
                return json{{"numgen", {{"mode", "inc"}, {"mod", n.modulus}}}};
            },
            [](const RouteIpsecSelector&) {
                return json{{"rt", {{"key", "ipsec"}}}};
            },
            [](const RawPayloadSelector& r) {
                return json{
                    {"payload", {{"base", raw_base_word(r.base)}, {"offset", r.offset_bits}, {"len", r.length_bits}}}};
            },
            [&](const ConcatSelector& c) {
                json parts = json::array();
                for (const auto& p : c.parts()) parts.push_back(selector(part_selector(p), raw));
                return json{{"concat", parts}};
            },
        },
        s);
}

json value(const Selector& s, const Value& v, bool raw) {
    return std::visit(overloaded{
                          [&](const Prefix& p) {
                              auto len = prefix_length(p.mask);
                              unsigned full = p.address.family == Family::ipv4 ? 32 : 128;
                              // A non-contiguous mask is the compare's (`& mask ==`), around the address alone.
                              if (!len || *len == full) return json(to_string(p.address));
                              return json{{"prefix", {{"addr", to_string(p.address)}, {"len", *len}}}};
                          },
                          [&](const Range& r) {
                              return json{{"range", {value(s, r.bounds[0], raw), value(s, r.bounds[1], raw)}}};
                          },
                          [&](const ValueSet& set) {
                              json elements = json::array();
                              for (const auto& e : set.elements) elements.push_back(value(s, e, raw));
                              return json{{"set", elements}};
                          },
                          [&](const Concat& c) {
                              const auto* cs = std::get_if<ConcatSelector>(&s);
                              json parts = json::array();
                              for (size_t i = 0; i < c.parts.size(); ++i)
                                  parts.push_back(cs && i < cs->parts().size()
                                                      ? value(part_selector(cs->parts()[i]), c.parts[i], raw)
                                                      : value(s, c.parts[i], raw));
                              return json{{"concat", parts}};
                          },
                          // A name is a string whatever its characters: `eth0`, `1`.
                          [&](const InterfaceName&) { return json(nft::value_word(s, v, raw)); },
                          [&](const auto&) { return word_or_flags(nft::value_word(s, v, raw), selector_datatype(s)); },
                      },
                      v.v);
}

}  // namespace ipt2nft::json
