// A kernel program run on symbolic registers: each bit a BuDDy function of the packet's bits, each
// test a constraint, as nft_do_chain would run it on every packet at once.
#include "analysis/rule_sets.hpp"

#include <fmt/format.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <algorithm>
#include <optional>
#include <variant>

namespace ipt2nft::analysis {

namespace {

uint32_t meta_length(uint8_t key) {
    switch (key) {
        case NFT_META_IIFNAME:
        case NFT_META_OIFNAME:
        case NFT_META_BRI_IIFNAME:
        case NFT_META_BRI_OIFNAME:
        case NFT_META_SDIFNAME: return 16;
        case NFT_META_PROTOCOL:
        case NFT_META_IIFTYPE:
        case NFT_META_OIFTYPE: return 2;
        case NFT_META_NFPROTO:
        case NFT_META_L4PROTO:
        case NFT_META_NFTRACE:
        case NFT_META_PKTTYPE:
        case NFT_META_SECPATH:
        case NFT_META_TIME_DAY: return 1;
        case NFT_META_TIME_NS: return 8;
        default: return 4;
    }
}

uint32_t ct_length(uint8_t key) {
    switch (key) {
        case NFT_CT_DIRECTION:
        case NFT_CT_L3PROTOCOL:
        case NFT_CT_PROTOCOL: return 1;
        case NFT_CT_ZONE:
        case NFT_CT_PROTO_SRC:
        case NFT_CT_PROTO_DST: return 2;
        case NFT_CT_BYTES:
        case NFT_CT_PKTS:
        case NFT_CT_AVGPKT: return 8;
        case NFT_CT_HELPER:
        case NFT_CT_LABELS:
        case NFT_CT_SRC_IP6:
        case NFT_CT_DST_IP6: return 16;
        default: return 4;
    }
}

// The packet field a load reads, when a packet field holds it.
struct LoadedField {
    FieldSpace space;
    uint32_t offset, length;
};

std::optional<LoadedField> loaded_field(const vm::PayloadLoad& e, Family) {
    return LoadedField{{FieldSpace::Kind::payload, static_cast<uint8_t>(e.base)}, e.offset, e.length};
}
std::optional<LoadedField> loaded_field(const vm::MetaLoad& e, Family family) {
    // A fresh random number each time it is loaded: no packet field holds it.
    if (e.key == NFT_META_PRANDOM) return std::nullopt;
    // IPv4's layer 4 protocol is the header's protocol byte (IPv6's may follow extension headers).
    if (e.key == NFT_META_L4PROTO && family == Family::ipv4)
        return LoadedField{{FieldSpace::Kind::payload, static_cast<uint8_t>(HeaderBase::network)}, 9, 1};
    return LoadedField{{FieldSpace::Kind::meta, e.key}, 0, meta_length(e.key)};
}
std::optional<LoadedField> loaded_field(const vm::CtLoad& e, Family) {
    uint8_t direction = e.direction ? *e.direction + 1 : 0;
    return LoadedField{{FieldSpace::Kind::ct, e.key, direction}, 0, ct_length(e.key)};
}
// A TCP option or an IPv6 extension header, by kind or next-header number.
std::pair<FieldSpace::Kind, Presence> header_space(const vm::ExthdrLoad& e) {
    if (e.op == NFT_EXTHDR_OP_TCPOPT) return {FieldSpace::Kind::tcp_option, Presence::tcp_option};
    return {FieldSpace::Kind::ipv6_header, Presence::ipv6_header};
}
std::optional<LoadedField> loaded_field(const vm::ExthdrLoad& e, Family) {
    if (e.present) return std::nullopt;
    return LoadedField{{header_space(e).first, e.type}, e.offset, e.length};
}
template <typename E>
std::optional<LoadedField> loaded_field(const E&, Family) {
    return std::nullopt;
}

}  // namespace

// The packet's bits in the kernel's register file (see sim/interpreter.cpp for the layout).
class RuleReader::Machine {
public:
    Machine(PacketSpace& space, Family family, const std::vector<vm::NamedSet>* ipsets)
        : space_(space), family_(family), ipsets_(ipsets), regs_(80 * 8, bddfalse) {}

    size_t at(vm::Register r) const { return (r <= 4 ? r * 16u : 16u + (r - 8u) * 4u) * 8u; }

    // A load clears the rest of the last 32-bit word it writes, as the kernel does.
    void put(vm::Register r, const Bits& bits) {
        size_t from = at(r);
        size_t padded = std::min((bits.size() + 31) / 32 * 32, regs_.size() - from);
        written(from, padded);
        for (size_t i = 0; i < padded; ++i) regs_[from + i] = i < bits.size() ? bits[i] : bddfalse;
    }
    Bits get(vm::Register r, size_t bytes) const {
        size_t from = at(r);
        return Bits(regs_.begin() + from, regs_.begin() + std::min(regs_.size(), from + bytes * 8));
    }

    void eval(const vm::PayloadLoad& e) {
        if (e.base == HeaderBase::transport) test(space_.present(Presence::transport_header));
        if (e.base == HeaderBase::link) test(space_.present(Presence::input_interface));
        put(e.dreg, field(e));
    }
    void eval(const vm::MetaLoad& e) {
        if (e.key == NFT_META_PRANDOM) return put(e.dreg, space_.unknown(meta_length(e.key)));
        if (e.key == NFT_META_SKUID || e.key == NFT_META_SKGID) test(space_.present(Presence::socket));
        if (e.key == NFT_META_IIFTYPE) test(space_.present(Presence::input_interface));
        put(e.dreg, field(e));
    }
    void eval(const vm::CtLoad& e) {
        if (e.key != NFT_CT_STATE) test(space_.present(Presence::connection));
        put(e.dreg, field(e));
    }
    void eval(const vm::ExthdrLoad& e) {
        bdd present = space_.present(header_space(e).second, e.type);
        if (e.present) {
            Bits word(32, bddfalse);
            word[7] = present;  // a 32-bit 1 in the host's (little-endian) order
            return put(e.dreg, word);
        }
        test(present);
        put(e.dreg, field(e));
    }
    void eval(const vm::FibLoad& e) { put(e.dreg, space_.unknown(e.result == NFT_FIB_RESULT_OIFNAME ? 16 : 4)); }
    void eval(const vm::RtLoad& e) { put(e.dreg, space_.unknown(4)); }
    void eval(const vm::NumgenLoad& e) { put(e.dreg, space_.unknown(4)); }
    void eval(const vm::OsfLoad& e) { put(e.dreg, space_.unknown(16)); }
    void eval(const vm::Shift& e) { put(e.dreg, space_.unknown(e.length)); }
    void eval(const vm::ByteOrder& e) {
        Bits from = get(e.sreg, e.length);
        Bits to(from.size(), bddfalse);
        for (uint32_t i = 0; i < e.length; i += e.size)
            for (uint32_t k = 0; k < e.size; ++k)
                for (int b = 0; b < 8; ++b) to[(i + k) * 8 + b] = from[(i + e.size - 1 - k) * 8 + b];
        written(at(e.dreg), to.size());
        std::copy(to.begin(), to.end(), regs_.begin() + static_cast<std::ptrdiff_t>(at(e.dreg)));
    }
    void eval(const vm::Bitwise& e) {
        Bits from = get(e.sreg, e.mask.size());
        for (size_t i = 0; i < from.size(); ++i) {
            bool keep = e.mask[i / 8] >> (7 - i % 8) & 1, flip = e.xor_value[i / 8] >> (7 - i % 8) & 1;
            bdd bit = keep ? from[i] : bddfalse;
            from[i] = flip ? !bit : bit;
        }
        written(at(e.dreg), from.size());
        std::copy(from.begin(), from.end(), regs_.begin() + static_cast<std::ptrdiff_t>(at(e.dreg)));
    }
    void eval(const vm::Cmp& e) {
        Bits v = get(e.sreg, e.data.size());
        switch (e.op) {
            case NFT_CMP_EQ: return test(equal(v, e.data));
            case NFT_CMP_NEQ: return test(!equal(v, e.data));
            case NFT_CMP_LT: return test(less(v, e.data));
            case NFT_CMP_LTE: return test(less(v, e.data) | equal(v, e.data));
            case NFT_CMP_GT: return test(!(less(v, e.data) | equal(v, e.data)));
            case NFT_CMP_GTE: return test(!less(v, e.data));
            default: return test(bddtrue);
        }
    }
    void eval(const vm::Range& e) {
        Bits v = get(e.sreg, e.from.size());
        bdd inside = !less(v, e.from) & (less(v, e.to) | equal(v, e.to));
        test(e.negated ? !inside : inside);
    }
    void eval(const vm::Lookup& e) {
        bdd found = holds(set_at(e.set), get(e.sreg, set_at(e.set).key_length));
        test(e.inverted ? !found : found);
    }
    void eval(const vm::ImmediateVerdict& e) {
        static constexpr Outcome outcomes[] = {Outcome::accept, Outcome::drop,  Outcome::return_,
                                               Outcome::jump,   Outcome::go_to, Outcome::none};
        out_.outcome = outcomes[static_cast<size_t>(e.code)];
        out_.chain = e.chain;
    }
    void eval(const vm::ImmediateData& e) { put(e.dreg, constant(e.data)); }
    void eval(const vm::MetaSet& e) { write({FieldSpace::Kind::meta, e.key}, 0, meta_length(e.key), e.sreg); }
    void eval(const vm::CtSet& e) {
        uint8_t direction = e.direction ? *e.direction + 1 : 0;
        write({FieldSpace::Kind::ct, e.key, direction}, 0, ct_length(e.key), e.sreg);
    }
    void eval(const vm::PayloadWrite& e) {
        write({FieldSpace::Kind::payload, static_cast<uint8_t>(e.base)}, e.offset, e.length, e.sreg);
    }
    void eval(const vm::ExthdrWrite& e) { write({FieldSpace::Kind::tcp_option, e.type}, e.offset, e.length, e.sreg); }
    void eval(const vm::Notrack&) {
        out_.writes.push_back({space_.field_variables({FieldSpace::Kind::ct, NFT_CT_STATE}, 0, 4), bddtrue});
    }
    void eval(const vm::Limit&) { test(space_.unknown(1)[0]); }
    void eval(const vm::Quota&) { test(space_.unknown(1)[0]); }
    // A dynamic set's contents depend on the packets before, and elements that time out on
    // when the packet comes: unknown. An ipset no rule changes and whose elements stay is its
    // elements. Adding to a set is an effect of its own (a later lookup sees it), and fails
    // when the set is full.
    void eval(const vm::NamedLookup& e) {
        const vm::NamedSet* fixed = fixed_ipset(e.set);
        if (!fixed) return test(space_.unknown(1)[0]);
        bdd found = holds(fixed->content, get(e.sreg, fixed->content.key_length));
        test(e.inverted ? !found : found);
    }
    void eval(const vm::Dynset&) {
        test(space_.unknown(1)[0]);
        out_.leaves_trace = true;
    }
    void eval(const vm::ObjectRef& e) {
        // A quota, rate limit or connection count object can stop the rule; a counter or helper not.
        if (e.type == NFT_OBJECT_QUOTA || e.type == NFT_OBJECT_LIMIT || e.type == NFT_OBJECT_CONNLIMIT)
            test(space_.unknown(1)[0]);
    }
    void eval(const vm::Log&) { out_.leaves_trace = true; }
    void eval(const vm::Nat& e) {
        out_.outcome = Outcome::nat;
        if (detail_ == RuleReader::Detail::decisions) return;
        if (e.destination) redirect(e.address_min, e.address_max, e.port_min, e.port_max);
        out_.action = fmt::format("{} {} {} {}", e.destination ? "dnat" : "snat", e.family, e.flags,
                                  described({e.address_min, e.address_max, e.port_min, e.port_max}));
    }
    void eval(const vm::PortNat& e) {
        out_.outcome = Outcome::nat;
        if (detail_ == RuleReader::Detail::decisions) return;
        out_.to_host = e.redirect;
        if (e.redirect) redirect(0, 0, e.port_min, e.port_max);
        out_.action = fmt::format("{} {} {}", e.redirect ? "redirect" : "masquerade", e.flags,
                                  described({e.port_min, e.port_max}));
    }
    void eval(const vm::Reject& e) {
        out_.outcome = Outcome::reject;
        out_.action = fmt::format("{} {}", e.type, e.code);
    }
    void eval(const vm::Queue& e) {
        out_.outcome = Outcome::queue;
        out_.action = fmt::format("{} {} {}", e.number, e.total, e.flags);
    }
    // A client's SYN or ACK is taken (answered, or dropped), any other packet goes on: which,
    // the rule's tests do not say.
    void eval(const vm::Synproxy& e) {
        test(space_.unknown(1)[0]);
        out_.outcome = Outcome::queue;
        out_.action = fmt::format("synproxy {} {} {}", e.mss, e.wscale, e.flags);
    }
    void eval(const vm::Dup&) { out_.leaves_trace = true; }
    // Whether a transparent socket takes the packet is not in its header.
    void eval(const vm::Tproxy&) { test(space_.unknown(1)[0]); }
    void eval(const vm::Counter&) {}

    RuleSets finish(const vm::Program& program, RuleReader::Detail detail) {
        clear();
        program_ = &program;
        detail_ = detail;
        for (const auto& e : program.expressions) std::visit([this](const auto& x) { eval(x); }, e);
        if (!space_.drew_unknowns()) {  // most rules: quantifying would walk the set for nothing
            out_.may = out_.must = match_;
            return std::move(out_);
        }
        bdd unknowns = space_.unknown_variables();
        out_.may = bdd_exist(match_, unknowns);
        out_.must = bdd_forall(match_, unknowns);
        return std::move(out_);
    }

private:
    void test(const bdd& condition) { match_ &= condition; }

    // The registers the last rule wrote are zero again, and the rule's sets empty.
    void clear() {
        for (size_t i = dirty_from_; i < dirty_to_; ++i) regs_[i] = bddfalse;
        dirty_from_ = regs_.size();
        dirty_to_ = 0;
        match_ = bddtrue;
        out_ = RuleSets{};
        space_.reset_unknowns();
    }
    void written(size_t from, size_t count) {
        dirty_from_ = std::min(dirty_from_, from);
        dirty_to_ = std::max(dirty_to_, std::min(from + count, regs_.size()));
    }

    template <typename E>
    Bits field(const E& e) {
        LoadedField f = *loaded_field(e, family_);
        return space_.field(f.space, f.offset, f.length);
    }

    // The values of NAT's registers (0: not given) in hex, '?' for a byte the packet decides.
    std::string described(std::initializer_list<vm::Register> registers) const {
        std::string out;
        for (vm::Register r : registers) {
            out += ' ';
            if (r == 0) continue;
            for (size_t from = at(r), end = std::min(regs_.size(), from + 128); from < end; from += 8) {
                unsigned value = 0;
                bool known = true;
                for (size_t i = from; i < from + 8; ++i) {
                    known &= regs_[i] == bddtrue || regs_[i] == bddfalse;
                    value = value << 1 | (regs_[i] == bddtrue);
                }
                out += known ? fmt::format("{:02x}", value) : "?";
            }
        }
        return out;
    }

    const vm::AnonymousSet& set_at(size_t i) const { return program_->sets[i]; }

    const vm::NamedSet* fixed_ipset(std::string_view name) const {
        if (!ipsets_) return nullptr;
        for (const vm::NamedSet& s : *ipsets_)
            if (s.name == name) return s.dynamic || s.timeouts ? nullptr : &s;
        return nullptr;
    }

    static bool bit_of(const vm::Bytes& data, size_t i) { return data[i / 8] >> (7 - i % 8) & 1; }

    static Bits constant(const vm::Bytes& data) {
        Bits bits(data.size() * 8);
        for (size_t i = 0; i < bits.size(); ++i) bits[i] = bit_of(data, i) ? bddtrue : bddfalse;
        return bits;
    }
    // memcmp's order: the first byte, and its most significant bit, weighs most.
    static bdd equal(const Bits& v, const vm::Bytes& data, size_t from = 0, size_t count = SIZE_MAX) {
        bdd r = bddtrue;
        size_t end = std::min(v.size(), count == SIZE_MAX ? data.size() * 8 : from + count);
        for (size_t i = end; i-- > from;) r &= bit_of(data, i) ? v[i] : !v[i];
        return r;
    }
    static bdd less(const Bits& v, const vm::Bytes& data, size_t from = 0, size_t count = SIZE_MAX) {
        bdd r = bddfalse;
        size_t end = std::min(v.size(), count == SIZE_MAX ? data.size() * 8 : from + count);
        for (size_t i = end; i-- > from;) r = bit_of(data, i) ? (!v[i] | r) : (!v[i] & r);
        return r;
    }
    static bdd within(const Bits& v, const vm::Bytes& low, const vm::Bytes& high, size_t from, size_t count) {
        return !less(v, low, from, count) & (less(v, high, from, count) | equal(v, high, from, count));
    }

    // As the kernel's set back-ends answer: see sim/interpreter.cpp's set_holds.
    static bdd holds(const vm::AnonymousSet& set, const Bits& key) {
        bdd any = bddfalse;
        if (set.concatenated) {
            for (const auto& el : set.elements) {
                const vm::Bytes& high = el.key_end ? *el.key_end : el.key;
                bdd all = bddtrue;
                size_t at = 0;
                for (uint8_t length : set.field_lengths) {
                    all &= within(key, el.key, high, at * 8, length * 8u);
                    at += (length + 3u) / 4u * 4u;
                }
                any |= all;
            }
            return any;
        }
        if (!set.interval) {
            for (const auto& el : set.elements) any |= equal(key, el.key);
            return any;
        }
        std::vector<const vm::AnonymousSet::Element*> sorted;
        for (const auto& el : set.elements) sorted.push_back(&el);
        std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->key < b->key; });
        for (size_t i = 0; i < sorted.size(); ++i) {
            if (sorted[i]->interval_end) continue;
            bdd range = !less(key, sorted[i]->key);
            if (i + 1 < sorted.size()) range &= less(key, sorted[i + 1]->key);
            any |= range;
        }
        return any;
    }

    // The field set from register `sreg` (0: to a value not known here), into `to`.
    void write(FieldSpace field, uint32_t offset, uint32_t length, vm::Register sreg,
               std::vector<FieldWrite>* to = nullptr) {
        if (!to) to = &out_.writes;
        if (sreg == 0) return void(to->push_back({space_.field_variables(field, offset, length), bddtrue}));
        Bits value = get(sreg, length);
        Bits target = space_.field(field, offset, length);
        bdd assigned = bddtrue;
        for (size_t i = value.size(); i-- > 0;) {  // the last variable first: each step then adds one node
            if (value[i] != bddtrue && value[i] != bddfalse)
                return void(to->push_back({space_.field_variables(field, offset, length), bddtrue}));
            assigned &= value[i] == bddtrue ? target[i] : bdd_nithvar(bdd_var(target[i]));
        }
        to->push_back({space_.field_variables(field, offset, length), assigned});
    }

    // Where destination NAT sends a packet: its new address (when one, else any) and port.
    void redirect(vm::Register address_min, vm::Register address_max, vm::Register port_min, vm::Register port_max) {
        bool v4 = family_ == Family::ipv4;
        FieldSpace network{FieldSpace::Kind::payload, static_cast<uint8_t>(HeaderBase::network)};
        FieldSpace transport{FieldSpace::Kind::payload, static_cast<uint8_t>(HeaderBase::transport)};
        auto single = [&](vm::Register low, vm::Register high, size_t bytes) -> vm::Register {
            return low && (high == 0 || high == low || get(low, bytes) == get(high, bytes)) ? low : 0;
        };
        write(network, v4 ? 16 : 24, v4 ? 4 : 16, single(address_min, address_max, v4 ? 4 : 16), &out_.redirected);
        if (port_min) write(transport, 2, 2, single(port_min, port_max, 2), &out_.redirected);
    }

    PacketSpace& space_;
    Family family_;
    const std::vector<vm::NamedSet>* ipsets_;  // the table's, if known
    Bits regs_;
    size_t dirty_from_ = 0, dirty_to_ = 0;  // the registers written since the last clear
    bdd match_ = bddtrue;
    RuleSets out_;
    const vm::Program* program_ = nullptr;
    RuleReader::Detail detail_ = RuleReader::Detail::findings;
};

bool is_final(Outcome o) {
    return o == Outcome::accept || o == Outcome::drop || o == Outcome::reject || o == Outcome::queue ||
           o == Outcome::nat;
}

void declare_fields(const vm::Program& program, Family family, PacketSpace& space) {
    for (const auto& e : program.expressions)
        if (auto f = std::visit([&](const auto& x) { return loaded_field(x, family); }, e))
            space.declare(f->space, f->offset, f->length);
}

RuleReader::RuleReader(PacketSpace& space, Family family, const std::vector<vm::NamedSet>* ipsets)
    : machine_(std::make_unique<Machine>(space, family, ipsets)) {}
RuleReader::~RuleReader() = default;

RuleSets RuleReader::read(const vm::Program& program, Detail detail) {
    return machine_->finish(program, detail);
}

RuleSets rule_sets(const vm::Program& program, Family family, PacketSpace& space) {
    return RuleReader(space, family).read(program);
}

}  // namespace ipt2nft::analysis
