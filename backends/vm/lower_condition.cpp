// A condition as the kernel tests it: a load into a register, then cmp, bitwise, range or lookup,
// in the forms nft chooses for the same test (a prefix loads only its bytes, a range of a
// host-order field is swapped to network order first, a list is an anonymous set).
#include <linux/netfilter/nf_tables.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <utility>

#include "backends/vm/program_builder.hpp"
#include "ir/meters.hpp"
#include "ir/payload_merges.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::vm {

Bytes number_bytes(uint64_t value, uint32_t length, ipt2nft::ByteOrder order) {
    Bytes out(length);
    for (uint32_t i = 0; i < length && i < 8; ++i) {
        uint8_t byte = static_cast<uint8_t>(value >> (8 * i));
        out[order == ipt2nft::ByteOrder::big ? length - 1 - i : i] = byte;
    }
    return out;
}

namespace {

// What a load left in its register: how many bytes, in which order, and where the field lies in
// them when it is not whole bytes.
struct Loaded {
    Register reg = NFT_REG_1;
    uint32_t length = 0;
    ipt2nft::ByteOrder order = ipt2nft::ByteOrder::big;
    uint32_t shift = 0;         // bits below the field in the loaded bytes
    std::optional<Bytes> mask;  // the field's bits, when it is not the whole load
    uint32_t compared = 0;      // the bytes a prefix of whole bytes compares, when fewer
};

void depend_on_protocol(uint8_t protocol, ProgramBuilder& b) {
    if (b.protocol_context) return;
    b.add(MetaLoad{NFT_META_L4PROTO, NFT_REG_1});
    b.add(Cmp{NFT_CMP_EQ, NFT_REG_1, {protocol}});
    b.protocol_context = protocol;
}

// The bits of [first, first + count) of `length` bytes, counted from the most significant.
Bytes bit_mask(uint32_t length, uint32_t first, uint32_t count) {
    Bytes m(length, 0);
    for (uint32_t bit = first; bit < first + count; ++bit) m[bit / 8] |= static_cast<uint8_t>(0x80 >> (bit % 8));
    return m;
}

// The prefix length a value tests of its field, when it is a shorter prefix than the field.
std::optional<unsigned> prefix_bits(const Value& v) {
    auto* p = std::get_if<Prefix>(&v.v);
    if (!p) return std::nullopt;
    auto length = prefix_length(p->mask);
    if (!length || *length == p->address.size() * 8) return std::nullopt;
    return length;
}

// The tests nft puts before a header's first field: the transport protocol, the link type.
void depend_on_header(const PayloadDescriptor& d, ProgramBuilder& b) {
    if (d.base == HeaderBase::transport && d.ip_protocol) depend_on_protocol(d.ip_protocol, b);
    if (d.base == HeaderBase::link && !b.link_layer_tested) {
        b.add(MetaLoad{NFT_META_IIFTYPE, NFT_REG_1});
        b.add(Cmp{NFT_CMP_EQ, NFT_REG_1, number_bytes(1, 2, ipt2nft::ByteOrder::host)});  // ARPHRD_ETHER
        b.link_layer_tested = true;
    }
}

// Whether the packet has an IPv6 extension header, as nft's exthdr finds it.
Loaded load_presence(const PayloadDescriptor& d, ProgramBuilder& b, Register reg) {
    b.add(ExthdrLoad{NFT_EXTHDR_OP_IPV6, d.ip_protocol, 0, 1, true, reg});
    return Loaded{reg, 1, ipt2nft::ByteOrder::host, 0, std::nullopt};
}

// A header field's bytes; an IPv6 extension header's from the header exthdr finds, with no
// dependency on the protocol.
Loaded load_payload(PayloadField field, ProgramBuilder& b, std::optional<unsigned> prefix, Register reg) {
    const PayloadDescriptor& d = describe(field);
    bool extension = d.base == HeaderBase::ipv6_extension;
    if (extension && d.type == ipt2nft::Datatype::boolean) return load_presence(d, b, reg);
    if (!extension) depend_on_header(d, b);
    // A prefix of whole bytes loads only those; another (or /0) is masked out of the whole field.
    bool whole_bytes = prefix && *prefix > 0 && *prefix % 8 == 0;
    uint32_t bits = whole_bytes ? *prefix : d.length_bits;
    uint32_t first = d.offset_bits / 8;
    uint32_t end = (d.offset_bits + bits + 7) / 8;
    Loaded l{reg, end - first, ipt2nft::ByteOrder::big, 0, std::nullopt};
    uint32_t lead = d.offset_bits % 8;
    if (lead || bits % 8) l.mask = bit_mask(l.length, lead, bits);
    if (prefix && !whole_bytes) l.mask = bit_mask(l.length, lead, *prefix);
    l.shift = prefix ? 0 : l.length * 8 - lead - bits;
    if (extension)
        b.add(ExthdrLoad{NFT_EXTHDR_OP_IPV6, d.ip_protocol, first, l.length, false, reg});
    else
        b.add(PayloadLoad{d.base, first, l.length, reg});
    return l;
}

// How a concatenation's field lies in its registers: its bytes and their order.
Loaded part_layout(const ConcatPart& part) {
    if (auto* m = std::get_if<MetaSelector>(&part)) {
        const MetaDescriptor& d = describe(m->key);
        return Loaded{NFT_REG_1, d.length_bits / 8u, d.order, 0, std::nullopt};
    }
    const PayloadDescriptor& d = describe(std::get<PayloadSelector>(part).field);
    return Loaded{NFT_REG_1, d.length_bits / 8u, ipt2nft::ByteOrder::big, 0, std::nullopt};
}

// The register of a concatenation's field `offset` bytes in: as nft numbers it, a 16-byte
// register where the field starts one (NFT_REG_2 is NFT_REG32_04's place), else a 4-byte one.
Register concat_register(uint32_t offset) {
    uint32_t word = offset / 4;
    return static_cast<Register>(word % 4 == 0 ? NFT_REG_1 + int(word / 4) : NFT_REG32_00 + int(word));
}

Loaded load_part(const ConcatPart& part, ProgramBuilder& b, Register reg) {
    if (auto* m = std::get_if<MetaSelector>(&part)) {
        Loaded l = part_layout(part);
        l.reg = reg;
        b.add(MetaLoad{describe(m->key).kernel_key, reg});
        return l;
    }
    return load_payload(std::get<PayloadSelector>(part).field, b, std::nullopt, reg);
}

// A concatenation as nft loads one: the tests a part's header needs (a link layer's type, a
// protocol) first, as they use register 1; then each part in 4-byte registers of its own from the
// first, `each(part, loaded)` right after its load (a meter masks its addresses there).
template <typename Each>
Loaded load_concat(const ConcatSelector& c, ProgramBuilder& b, Each each) {
    for (const ConcatPart& part : c.parts())
        if (auto* p = std::get_if<PayloadSelector>(&part); p && describe(p->field).base != HeaderBase::ipv6_extension)
            depend_on_header(describe(p->field), b);
    uint32_t length = 0;
    for (const ConcatPart& part : c.parts()) {
        Loaded loaded = load_part(part, b, concat_register(length));
        each(part, loaded);
        length += (loaded.length + 3) / 4 * 4;
    }
    return Loaded{NFT_REG_1, length, ipt2nft::ByteOrder::big, 0, std::nullopt};
}

Loaded load(const Selector& s, ProgramBuilder& b, std::optional<unsigned> prefix) {
    return std::visit(overloaded{
                          [&](const PayloadSelector& p) { return load_payload(p.field, b, prefix, NFT_REG_1); },
                          [&](const MetaSelector& m) {
                              const MetaDescriptor& d = describe(m.key);
                              b.add(MetaLoad{d.kernel_key, NFT_REG_1});
                              return Loaded{NFT_REG_1, d.length_bits / 8u, d.order, 0, std::nullopt};
                          },
                          [&](const CtSelector& c) {
                              const CtDescriptor& d = describe(c.key);
                              std::optional<uint8_t> direction;
                              if (c.direction != CtDirection::none)
                                  direction = c.direction == CtDirection::original ? 0 : 1;
                              b.add(CtLoad{d.kernel_key, direction, NFT_REG_1});
                              Loaded l{NFT_REG_1, d.length_bits / 8u, d.order, 0, std::nullopt};
                              // A register of a connection's address is compared in part for a prefix of whole
                              // bytes, else masked.
                              bool whole_bytes = prefix && *prefix > 0 && *prefix % 8 == 0;
                              if (whole_bytes) l.compared = *prefix / 8;
                              if (prefix && !whole_bytes) l.mask = bit_mask(l.length, 0, *prefix);
                              return l;
                          },
                          [&](const FibSelector& f) {
                              uint32_t flags = f.address == FibAddress::saddr ? NFTA_FIB_F_SADDR : NFTA_FIB_F_DADDR;
                              if (f.interface == FibInterface::iif) flags |= NFTA_FIB_F_IIF;
                              if (f.interface == FibInterface::oif) flags |= NFTA_FIB_F_OIF;
                              if (f.mark) flags |= NFTA_FIB_F_MARK;
                              b.add(FibLoad{flags,
                                            f.result == FibResult::type ? NFT_FIB_RESULT_ADDRTYPE : NFT_FIB_RESULT_OIF,
                                            NFT_REG_1});
                              return Loaded{NFT_REG_1, 4, ipt2nft::ByteOrder::host, 0, std::nullopt};
                          },
                          [&](const TcpOptionSelector& t) {
                              // No protocol test: on a packet of another protocol the option is missing.
                              b.add(ExthdrLoad{NFT_EXTHDR_OP_TCPOPT, t.kind, 0, 1, true, NFT_REG_1});
                              return Loaded{NFT_REG_1, 1, ipt2nft::ByteOrder::host, 0, std::nullopt};
                          },
                          // Without the option the load stops the rule, as xt_tcpmss does not match.
                          [&](const TcpMssSelector&) {
                              b.add(ExthdrLoad{NFT_EXTHDR_OP_TCPOPT, TCPOPT_MAXSEG, 2, 2, false, NFT_REG_1});
                              return Loaded{NFT_REG_1, 2, ipt2nft::ByteOrder::big, 0, std::nullopt};
                          },
                          [&](const OsfSelector& o) {
                              b.add(OsfLoad{o.ttl, NFT_REG_1});
                              return Loaded{NFT_REG_1, 16, ipt2nft::ByteOrder::big, 0, std::nullopt};
                          },
                          [&](const NumgenSelector& n) {
                              b.add(NumgenLoad{n.modulus, NFT_REG_1});
                              return Loaded{NFT_REG_1, 4, ipt2nft::ByteOrder::host, 0, std::nullopt};
                          },
                          [&](const RouteIpsecSelector&) {
                              b.add(RtLoad{NFT_RT_XFRM, NFT_REG_1});
                              return Loaded{NFT_REG_1, 1, ipt2nft::ByteOrder::host, 0, std::nullopt};
                          },
                          // Whole bytes, with no protocol test: nft adds none for raw bits.
                          [&](const RawPayloadSelector& r) {
                              b.add(PayloadLoad{r.base, r.offset_bits / 8, r.length_bits / 8u, NFT_REG_1});
                              return Loaded{NFT_REG_1, r.length_bits / 8u, ipt2nft::ByteOrder::big, 0, std::nullopt};
                          },
                          [&](const ConcatSelector& c) {
                              return load_concat(c, b, [](const ConcatPart&, const Loaded&) {});
                          },
                      },
                      s);
}

// A value as the bytes of its field's register.
Bytes value_bytes(const Value& v, const Loaded& l, const Selector& s);

Bytes concat_bytes(const Concat& c, const Selector& s) {
    Bytes out;
    auto* cs = std::get_if<ConcatSelector>(&s);
    for (size_t i = 0; i < c.parts.size() && cs && i < cs->parts().size(); ++i) {
        Bytes bytes = value_bytes(c.parts[i], part_layout(cs->parts()[i]), part_selector(cs->parts()[i]));
        bytes.resize((bytes.size() + 3) / 4 * 4, 0);
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

Bytes value_bytes(const Value& v, const Loaded& l, const Selector& s) {
    return std::visit(overloaded{
                          [&](uint64_t n) { return number_bytes(n << l.shift, l.length, l.order); },
                          [&](const Address& a) { return Bytes(a.bytes.begin(), a.bytes.begin() + l.length); },
                          [&](const Prefix& p) {
                              Bytes out(p.address.bytes.begin(), p.address.bytes.begin() + l.length);
                              return out;
                          },
                          [&](const MacAddress& m) { return Bytes(m.bytes.begin(), m.bytes.end()); },
                          [&](const InterfaceName& n) {
                              Bytes out(n.name.begin(), n.name.end());
                              if (!n.wildcard) out.resize(16, 0);  // IFNAMSIZ, NUL-padded
                              return out;
                          },
                          [&](const ipt2nft::Range&) { return Bytes{}; },
                          [&](const ValueSet&) { return Bytes{}; },
                          [&](const Concat& c) { return concat_bytes(c, s); },
                      },
                      v.v);
}

// The ranges a set element covers, as [low, high] keys of the set's length.
std::pair<Bytes, Bytes> element_bounds(const Value& v, const Loaded& l, const Selector& s) {
    if (auto* r = std::get_if<ipt2nft::Range>(&v.v)) {
        Loaded big = l;
        big.order = ipt2nft::ByteOrder::big;
        return {value_bytes(r->bounds[0], big, s), value_bytes(r->bounds[1], big, s)};
    }
    if (auto* p = std::get_if<Prefix>(&v.v)) {
        Bytes low = value_bytes(v, l, s), high = low;
        for (size_t i = 0; i < high.size(); ++i) high[i] = static_cast<uint8_t>(low[i] | ~p->mask.bytes[i]);
        return {low, high};
    }
    Bytes key = value_bytes(v, l, s);
    return {key, key};
}

// One past `key`, as a big-endian number; nullopt past the largest.
std::optional<Bytes> successor(Bytes key) {
    for (size_t i = key.size(); i-- > 0;)
        if (++key[i] != 0) return key;
    return std::nullopt;
}

// The next value a field `shift` bits up its register can take after `key`; nullopt past the largest.
std::optional<Bytes> next_field_value(Bytes key, uint32_t shift) {
    uint32_t carry = 1u << shift;
    for (size_t i = key.size(); i-- > 0 && carry;) {
        carry += key[i];
        key[i] = static_cast<uint8_t>(carry);
        carry >>= 8;
    }
    if (carry) return std::nullopt;
    return key;
}

// nft's interval set: each range as its first key and, as an interval end, the key after its
// last; a leading end at key 0 when the first range does not start there.
AnonymousSet interval_set(const ValueSet& set, const Loaded& l, const Selector& s) {
    std::vector<std::pair<Bytes, Bytes>> ranges;
    for (const auto& e : set.elements) ranges.push_back(element_bounds(e, l, s));
    std::sort(ranges.begin(), ranges.end());
    // Overlapping and adjacent ranges are one interval, as nft merges them (adjacent in the
    // field's own values: DCCP types 2 and 3 are keys 0x04 and 0x06).
    std::vector<std::pair<Bytes, Bytes>> merged;
    for (auto& r : ranges) {
        auto next = merged.empty() ? std::nullopt : next_field_value(merged.back().second, l.shift);
        if (!merged.empty() && (!next || r.first <= *next)) {
            merged.back().second = std::max(merged.back().second, r.second);
        } else {
            merged.push_back(r);
        }
    }
    AnonymousSet out{static_cast<uint32_t>(l.length), true, false, {}};
    if (!merged.empty() && merged.front().first != Bytes(l.length, 0))
        out.elements.push_back({Bytes(l.length, 0), true, std::nullopt});
    for (auto& [low, high] : merged) {
        out.elements.push_back({low, false, std::nullopt});
        if (auto end = successor(high)) out.elements.push_back({*end, true, std::nullopt});
    }
    return out;
}

// Ranges of concatenated keys are elements of their own, each with its first and last key; an
// anonymous set's in key order (as nft sends them), a named one's as given (as nft -f sends those).
AnonymousSet concatenated_interval_set(const ValueSet& set, const Loaded& l, const ConcatSelector& s, bool sorted) {
    AnonymousSet out{l.length, true, true, {}};
    for (const auto& e : set.elements) {
        const auto& parts = std::get<Concat>(e.v).parts;
        Bytes low, high;
        for (size_t i = 0; i < parts.size() && i < s.parts().size(); ++i) {
            auto [from, to] = element_bounds(parts[i], part_layout(s.parts()[i]), part_selector(s.parts()[i]));
            from.resize((from.size() + 3) / 4 * 4, 0);
            to.resize((to.size() + 3) / 4 * 4, 0);
            low.insert(low.end(), from.begin(), from.end());
            high.insert(high.end(), to.begin(), to.end());
        }
        out.elements.push_back({low, false, high});
    }
    if (sorted) std::sort(out.elements.begin(), out.elements.end(), [](auto& a, auto& b) { return a.key < b.key; });
    return out;
}

bool is_interval(const Value& v) {
    return std::holds_alternative<ipt2nft::Range>(v.v) || prefix_bits(v);
}

bool needs_intervals(const ValueSet& set) {
    return std::any_of(set.elements.begin(), set.elements.end(), [](const Value& e) {
        auto* concat = std::get_if<Concat>(&e.v);
        return is_interval(e) || (concat && std::any_of(concat->parts.begin(), concat->parts.end(), is_interval));
    });
}

// The key's fields as nft declares them: a concatenation field by field, with their lengths.
void describe_key(const Selector& s, const Loaded& l, AnonymousSet& set) {
    set.key_order = l.order;
    if (const auto* concat = std::get_if<ConcatSelector>(&s)) {
        for (const auto& part : concat->parts()) {
            set.key_types.push_back(part_datatype(part));
            set.field_lengths.push_back(static_cast<uint8_t>(part_layout(part).length));
        }
        return;
    }
    set.key_types.push_back(selector_datatype(s));
}

AnonymousSet set_of(const ValueSet& set, const Loaded& l, const Selector& s, bool sorted = true) {
    AnonymousSet anonymous{l.length, false, false, {}};
    if (needs_intervals(set) && std::holds_alternative<ConcatSelector>(s)) {
        anonymous = concatenated_interval_set(set, l, std::get<ConcatSelector>(s), sorted);
    } else if (needs_intervals(set)) {
        anonymous = interval_set(set, l, s);
    } else {
        for (const auto& e : set.elements) anonymous.elements.push_back({value_bytes(e, l, s), false, std::nullopt});
    }
    describe_key(s, l, anonymous);
    return anonymous;
}

void lookup(const ValueSet& set, bool inverted, const Loaded& l, const Selector& s, ProgramBuilder& b) {
    b.program.sets.push_back(set_of(set, l, s));
    b.add(Lookup{l.reg, b.program.sets.size() - 1, inverted});
}

// Host-order fields compare by size only in network order: nft swaps them first.
Loaded in_network_order(Loaded l, ProgramBuilder& b) {
    if (l.order == ipt2nft::ByteOrder::host && l.length > 1) {
        b.add(ByteOrder{l.reg, l.reg, true, l.length, l.length});
        l.order = ipt2nft::ByteOrder::big;
    }
    return l;
}

uint8_t cmp_op(Op op) {
    switch (op) {
        case Op::neq:
        case Op::masked_neq: return NFT_CMP_NEQ;
        case Op::lt: return NFT_CMP_LT;
        case Op::gt: return NFT_CMP_GT;
        case Op::le: return NFT_CMP_LTE;
        case Op::ge: return NFT_CMP_GTE;
        default: return NFT_CMP_EQ;
    }
}

void lower_compare(const Compare& c, ProgramBuilder& b) {
    auto prefix = prefix_bits(c.value);
    Loaded l = load(c.selector, b, prefix);
    auto* ct = std::get_if<CtSelector>(&c.selector);
    if (ct && ct->key == CtKey::protocol && c.op == Op::eq)
        if (auto* n = std::get_if<uint64_t>(&c.value.v)) b.protocol_context = *n;
    auto* meta = std::get_if<MetaSelector>(&c.selector);
    auto* payload = std::get_if<PayloadSelector>(&c.selector);
    if (c.op == Op::eq &&
        ((meta && meta->key == MetaKey::l4proto) || (payload && payload->field == PayloadField::ip_protocol)))
        if (auto* n = std::get_if<uint64_t>(&c.value.v)) b.protocol_context = *n;

    if (c.op == Op::any_flag || c.op == Op::no_flag) {
        uint64_t bits = 0;
        if (auto* set = std::get_if<ValueSet>(&c.value.v))
            for (const auto& e : set->elements) bits |= std::get<uint64_t>(e.v);
        else
            bits = std::get<uint64_t>(c.value.v);
        b.add(Bitwise{l.reg, l.reg, number_bytes(bits, l.length, l.order), Bytes(l.length, 0)});
        b.add(Cmp{uint8_t(c.op == Op::any_flag ? NFT_CMP_NEQ : NFT_CMP_EQ), l.reg, Bytes(l.length, 0)});
        return;
    }
    // A masked test, a field of part of a byte, a prefix of part of a byte or a non-contiguous mask.
    auto* address = std::get_if<Prefix>(&c.value.v);
    std::optional<Bytes> mask = l.mask;
    if (c.mask) mask = number_bytes(*c.mask << l.shift, l.length, l.order);
    if (address && !prefix_length(address->mask))
        mask = Bytes(address->mask.bytes.begin(), address->mask.bytes.begin() + l.length);
    if (mask) b.add(Bitwise{l.reg, l.reg, *mask, Bytes(l.length, 0)});

    if (auto* set = std::get_if<ValueSet>(&c.value.v)) {
        lookup(*set, c.op == Op::neq, l, c.selector, b);
        return;
    }
    if (auto* range = std::get_if<ipt2nft::Range>(&c.value.v)) {
        Loaded big = in_network_order(l, b);
        Bytes low = value_bytes(range->bounds[0], big, c.selector),
              high = value_bytes(range->bounds[1], big, c.selector);
        if (c.op == Op::neq) {
            b.add(Range{true, l.reg, low, high});
        } else {
            b.add(Cmp{NFT_CMP_GTE, l.reg, low});
            b.add(Cmp{NFT_CMP_LTE, l.reg, high});
        }
        return;
    }
    bool ordered = c.op == Op::lt || c.op == Op::gt || c.op == Op::le || c.op == Op::ge;
    if (ordered) l = in_network_order(l, b);
    Bytes data = value_bytes(c.value, l, c.selector);
    if (l.compared) data.resize(l.compared);
    b.add(Cmp{cmp_op(c.op), l.reg, data});
}

// One load of the group's fields and one comparison with their values.
void lower_merged(const std::vector<const Condition*>& conditions, const std::vector<size_t>& group,
                  ProgramBuilder& b) {
    Bytes data;
    for (size_t i : group) {
        const Compare& c = std::get<Compare>(conditions[i]->test);
        PayloadField field = std::get<PayloadSelector>(c.selector).field;
        const PayloadDescriptor& d = describe(field);
        depend_on_header(d, b);
        Bytes part = number_bytes(std::get<uint64_t>(c.value.v), d.length_bits / 8u, ipt2nft::ByteOrder::big);
        data.insert(data.end(), part.begin(), part.end());
        if (field == PayloadField::ip_protocol) b.protocol_context = std::get<uint64_t>(c.value.v);
    }
    const Compare& first = std::get<Compare>(conditions[group.front()]->test);
    const PayloadDescriptor& d = describe(std::get<PayloadSelector>(first.selector).field);
    b.add(PayloadLoad{d.base, d.offset_bits / 8u, static_cast<uint32_t>(data.size()), NFT_REG_1});
    b.add(Cmp{NFT_CMP_EQ, NFT_REG_1, std::move(data)});
}

}  // namespace

void lower_conditions(const std::vector<const Condition*>& conditions, ProgramBuilder& b) {
    // A merged group takes the place of its test of the highest offset (nft merges each test
    // into the next by offset: `ip ttl 64 meta mark 1 ip protocol tcp` loads both last); its
    // other tests are gone.
    std::vector<const std::vector<size_t>*> group_at(conditions.size(), nullptr);
    std::vector<bool> merged_away(conditions.size(), false);
    // keep_payload_tests_apart has left only the merges that keep the rule's meaning.
    std::vector<PayloadMerge> merges = payload_merges(conditions);
    for (const PayloadMerge& m : merges) {
        if (m.changes_meaning) continue;
        size_t highest = m.tests.back();  // in offset order
        group_at[highest] = &m.tests;
        for (size_t i : m.tests) merged_away[i] = i != highest;
    }
    for (size_t i = 0; i < conditions.size(); ++i) {
        b.source = conditions[i]->span;
        if (group_at[i])
            lower_merged(conditions, *group_at[i], b);
        else if (!merged_away[i])
            lower_condition(*conditions[i], b);
    }
}

namespace {

// The key of a recent list, loaded again for the set statement after a lookup, as nft does.
void load_set_key(const SetTest& t, ProgramBuilder& b) {
    Loaded l = load_payload(t.key, b, std::nullopt, NFT_REG_1);
    if (!t.mask) return;
    Bytes mask(t.mask->bytes.begin(), t.mask->bytes.begin() + static_cast<long>(l.length));
    b.add(Bitwise{l.reg, l.reg, std::move(mask), Bytes(l.length, 0)});
}

void lower_set_test(const SetTest& t, ProgramBuilder& b) {
    if (t.action == SetTest::Action::count) {
        load_set_key(t, b);
        b.add(Dynset{NFT_DYNSET_OP_ADD, NFT_REG_1, t.set, 0, t.connections, !t.inverted});
        return;
    }
    if (t.action != SetTest::Action::add) {
        load_set_key(t, b);
        b.add(NamedLookup{NFT_REG_1, t.set, t.inverted});
        if (t.action == SetTest::Action::check) return;
    }
    load_set_key(t, b);
    b.add(Dynset{NFT_DYNSET_OP_UPDATE, NFT_REG_1, t.set, t.seconds ? *t.seconds * 1000ull : 0});
}

// The key refreshed in the meter's set (a masked address masked right after its load), its
// element's bucket taking the packet; a shared set's elements expire after the set's timeout.
void lower_meter(const Meter& m, ProgramBuilder& b) {
    load_concat(m.key, b, [&](const ConcatPart& part, const Loaded& l) {
        if (auto mask = meter_part_mask(m, part))
            b.add(
                Bitwise{l.reg, l.reg, Bytes(mask->bytes.begin(), mask->bytes.begin() + l.length), Bytes(l.length, 0)});
    });
    b.add(Dynset{NFT_DYNSET_OP_UPDATE, NFT_REG_1, m.name, m.shared ? 0 : m.timeout_ms, std::nullopt, false,
                 Limit{m.limit.rate, m.limit.period, m.limit.burst, m.over}});
}

}  // namespace

Register load_key(const Selector& key, ProgramBuilder& b) {
    return load(key, b, std::nullopt).reg;
}

AnonymousSet constant_set(const ValueSet& values, const Selector& key, Family family) {
    ProgramBuilder scratch{{}, family, {}, false, {}};
    return set_of(values, load(key, scratch, std::nullopt), key, false);
}

void lower_condition(const Condition& c, ProgramBuilder& b) {
    std::visit(overloaded{
                   [&](const Compare& cmp) { lower_compare(cmp, b); },
                   [&](const SetTest& t) { lower_set_test(t, b); },
                   [&](const Meter& m) { lower_meter(m, b); },
                   [&](const RateLimit& r) {
                       b.add(Limit{r.rate, r.period, r.burst ? r.burst : 5});
                   },
                   [&](const ipt2nft::Quota& q) {
                       b.add(Quota{q.bytes, q.over});
                   },
                   [&](const IpsetLookup& l) { b.add(NamedLookup{load_key(l.key, b), l.set, l.inverted}); },
               },
               c.test);
}

}  // namespace ipt2nft::vm
