// A statement as the kernel runs it: values put in registers by `immediate` or computed from a
// load, then the expression that uses them.
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter/nf_tables.h>
#include <netinet/tcp.h>

#include "backends/vm/program_builder.hpp"
#include "ir/protocols.hpp"
#include "ir/ruleset.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::vm {

namespace {

constexpr uint32_t ct_helper_object = NFT_OBJECT_CT_HELPER;

void lower_verdict(const Verdict& v, ProgramBuilder& b) {
    switch (v.kind) {
        case VerdictKind::accept: b.add(ImmediateVerdict{VerdictCode::accept, {}}); return;
        case VerdictKind::drop: b.add(ImmediateVerdict{VerdictCode::drop, {}}); return;
        case VerdictKind::return_: b.add(ImmediateVerdict{VerdictCode::return_, {}}); return;
        case VerdictKind::jump: b.add(ImmediateVerdict{VerdictCode::jump, v.chain}); return;
        case VerdictKind::go_to: b.add(ImmediateVerdict{VerdictCode::go_to, v.chain}); return;
    }
}

Bytes address_bytes(const Address& a) {
    return Bytes(a.bytes.begin(), a.bytes.begin() + a.size());
}

Bytes port_bytes(uint16_t port) {
    return number_bytes(port, 2, ipt2nft::ByteOrder::big);
}

// A statement's operands (addresses, ports) as nft loads them: immediates into the registers
// from NFT_REG_1 on, one each.
class Operands {
public:
    explicit Operands(ProgramBuilder& b) : b_(b) {}
    Register put(Bytes data) {
        b_.add(ImmediateData{next_, std::move(data)});
        return next_++;
    }

private:
    ProgramBuilder& b_;
    Register next_ = NFT_REG_1;
};

void lower_nat(const ipt2nft::Nat& n, ProgramBuilder& b) {
    Operands operands(b);
    // In an inet table nft gives a NAT to a port alone the inet family: the kernel makes it for
    // both families' packets.
    bool both = b.place != InetPlace::none && !n.address_low;
    vm::Nat out{n.kind == NatKind::dnat, both ? uint8_t{NFPROTO_INET} : nfproto(b.family)};
    PortNat ports{n.kind == NatKind::redirect};
    bool port_only = n.kind == NatKind::masquerade || n.kind == NatKind::redirect;
    if (n.address_low) out.address_min = operands.put(address_bytes(*n.address_low));
    if (n.address_high) out.address_max = operands.put(address_bytes(*n.address_high));
    Register& port_min = port_only ? ports.port_min : out.port_min;
    Register& port_max = port_only ? ports.port_max : out.port_max;
    if (n.port_low) port_min = operands.put(port_bytes(*n.port_low));
    if (n.port_high && n.port_high != n.port_low) port_max = operands.put(port_bytes(*n.port_high));
    uint32_t flags = n.flags | (n.port_low ? NF_NAT_RANGE_PROTO_SPECIFIED : 0);
    if (port_only) {
        ports.flags = flags;
        b.add(ports);
    } else {
        out.flags = flags;
        b.add(out);
    }
}

// The field a statement sets, as the kernel's key of a meta or ct set, or bytes of a header.
struct Target {
    std::optional<uint8_t> meta, ct;
    std::optional<uint8_t> direction;
    uint32_t length = 4;
    ipt2nft::ByteOrder order = ipt2nft::ByteOrder::host;
};

Target target_of(const Selector& field) {
    Target t;
    if (auto* m = std::get_if<MetaSelector>(&field)) {
        t.meta = describe(m->key).kernel_key;
        t.length = describe(m->key).length_bits / 8u;
    } else if (auto* c = std::get_if<CtSelector>(&field)) {
        t.ct = describe(c->key).kernel_key;
        t.length = describe(c->key).length_bits / 8u;
        if (c->direction != CtDirection::none) t.direction = c->direction == CtDirection::original ? 0 : 1;
    }
    return t;
}

void load_source(const Selector& source, ProgramBuilder& b) {
    if (auto* m = std::get_if<MetaSelector>(&source)) b.add(MetaLoad{describe(m->key).kernel_key, NFT_REG_1});
    if (auto* c = std::get_if<CtSelector>(&source)) b.add(CtLoad{describe(c->key).kernel_key, std::nullopt, NFT_REG_1});
}

// `ip dscp set`, `ip6 ecn set`: the bytes holding the field are read, changed and written back.
// Where the header has a checksum (IPv4's) nft updates it and works on whole 16-bit words for
// that; elsewhere on the bytes the field spans, or, for a field of whole bytes (`ip6 hoplimit`),
// on the value alone.
void lower_header_set(PayloadField field, uint32_t value, ProgramBuilder& b) {
    const PayloadDescriptor& d = describe(field);
    bool checksum = d.protocol == "ip";
    uint32_t unit = checksum ? 16 : 8;
    uint32_t first = d.offset_bits / unit * unit / 8;
    uint32_t end = (d.offset_bits + d.length_bits + unit - 1) / unit * unit / 8;
    uint32_t length = end - first;
    uint32_t shift = length * 8 - (d.offset_bits - first * 8) - d.length_bits;
    uint32_t all = length == 1 ? 0xff : 0xffff;
    uint32_t field_bits = ((1u << d.length_bits) - 1) << shift;
    if (!checksum && field_bits == all) {
        b.add(ImmediateData{NFT_REG_1, number_bytes(value, length, ipt2nft::ByteOrder::big)});
        b.add(PayloadWrite{NFT_REG_1, d.base, first, length, 0u, 0u, 0});
        return;
    }
    b.add(PayloadLoad{d.base, first, length, NFT_REG_1});
    b.add(Bitwise{NFT_REG_1, NFT_REG_1, number_bytes(all & ~field_bits, length, ipt2nft::ByteOrder::big),
                  number_bytes((value << shift) & field_bits, length, ipt2nft::ByteOrder::big)});
    b.add(PayloadWrite{NFT_REG_1, d.base, first, length, checksum ? uint32_t(NFT_PAYLOAD_CSUM_INET) : 0u,
                       checksum ? 10u : 0u, 0});
}

void lower_set_field(const SetField& s, ProgramBuilder& b) {
    if (auto* p = std::get_if<PayloadSelector>(&s.field)) {
        lower_header_set(p->field, s.value.constant.value_or(0), b);
        return;
    }
    Target t = target_of(s.field);
    const FieldExpression& e = s.value;
    if (e.constant) {
        b.add(ImmediateData{NFT_REG_1, number_bytes(*e.constant, t.length, t.order)});
    } else {
        load_source(*e.source, b);
        if (e.and_mask || e.xor_value || e.or_value) {
            // (x & and) ^ xor, with `or v` as (x & ~v) ^ v: one bitwise expression, as nft folds them.
            uint32_t mask = e.and_mask.value_or(UINT32_MAX), xor_value = e.xor_value.value_or(0);
            if (e.or_value) {
                mask &= ~*e.or_value;
                xor_value = (xor_value & ~*e.or_value) | *e.or_value;
            }
            b.add(Bitwise{NFT_REG_1, NFT_REG_1, number_bytes(mask, 4, t.order), number_bytes(xor_value, 4, t.order)});
        }
        if (e.right_shift || e.left_shift)
            b.add(Shift{NFT_REG_1, NFT_REG_1, e.left_shift != 0, e.left_shift ? e.left_shift : e.right_shift, 4});
    }
    if (t.meta)
        b.add(MetaSet{*t.meta, NFT_REG_1});
    else if (t.ct)
        b.add(CtSet{*t.ct, t.direction, NFT_REG_1});
}

void lower_tcp_mss(const TcpMss& m, ProgramBuilder& b) {
    if (m.size) {
        b.add(ImmediateData{NFT_REG_1, number_bytes(*m.size, 2, ipt2nft::ByteOrder::big)});
    } else {
        b.add(RtLoad{NFT_RT_TCPMSS, NFT_REG_1});
        b.add(ByteOrder{NFT_REG_1, NFT_REG_1, true, 2, 2});
    }
    b.add(ExthdrWrite{TCPOPT_MAXSEG, 2, 2, NFT_REG_1});
}

}  // namespace

void lower_statement(const Statement& s, ProgramBuilder& b) {
    std::visit(overloaded{
                   [&](const Verdict& v) { lower_verdict(v, b); },
                   [&](const ipt2nft::Reject& r) {
                       // For both families' packets nft makes a bare `reject` (the one ICMP reject
                       // written alike in both) ICMPX's port unreachable, which each family's
                       // packet gets in its own ICMP.
                       if (b.place == InetPlace::both_families && r.type == RejectType::icmp_unreach)
                           b.add(vm::Reject{NFT_REJECT_ICMPX_UNREACH, NFT_REJECT_ICMPX_PORT_UNREACH});
                       else
                           b.add(vm::Reject{static_cast<uint8_t>(r.type), r.code});
                   },
                   [&](const ipt2nft::Log& l) {
                       b.add(vm::Log{l.prefix, std::nullopt, 0, 0, l.level, l.flags});
                   },
                   [&](const NfLog& l) {
                       b.add(vm::Log{l.prefix, l.group, l.snaplen.value_or(0), l.threshold.value_or(0), {}, 0});
                   },
                   [&](const ipt2nft::Queue& q) {
                       uint16_t flags =
                           (q.bypass ? NFT_QUEUE_FLAG_BYPASS : 0) | (q.fanout ? NFT_QUEUE_FLAG_CPU_FANOUT : 0);
                       b.add(vm::Queue{q.first, static_cast<uint16_t>(q.last - q.first + 1), flags});
                   },
                   [&](const ipt2nft::Nat& n) { lower_nat(n, b); },
                   [&](const SetField& f) { lower_set_field(f, b); },
                   [&](const ipt2nft::Notrack&) { b.add(vm::Notrack{}); },
                   [&](const CtHelper& h) {
                       // The table's helper object, named as the nft backend declares it.
                       b.add(ObjectRef{ct_helper_object, helper_object_name(h)});
                   },
                   [&](const TcpMss& m) { lower_tcp_mss(m, b); },
                   [&](const ipt2nft::Tproxy& t) {
                       Operands operands(b);
                       vm::Tproxy out{nfproto(b.family)};
                       if (t.address) out.address = operands.put(address_bytes(*t.address));
                       // nft loads port 0 when no address is given either (`tproxy to :0`).
                       if (t.port || !t.address) out.port = operands.put(port_bytes(t.port));
                       b.add(out);
                   },
                   [&](const ipt2nft::Dup& d) { b.add(vm::Dup{Operands(b).put(address_bytes(d.gateway))}); },
                   [&](const ipt2nft::Synproxy& p) {
                       uint32_t flags = (p.mss ? NF_SYNPROXY_OPT_MSS : 0) | (p.wscale ? NF_SYNPROXY_OPT_WSCALE : 0) |
                                        (p.timestamp ? NF_SYNPROXY_OPT_TIMESTAMP : 0) |
                                        (p.sack_perm ? NF_SYNPROXY_OPT_SACK_PERM : 0);
                       b.add(vm::Synproxy{p.mss.value_or(0), p.wscale.value_or(0), flags});
                   },
                   [&](const IpsetUpdate& u) {
                       static constexpr uint8_t ops[] = {NFT_DYNSET_OP_ADD, NFT_DYNSET_OP_UPDATE, NFT_DYNSET_OP_DELETE};
                       Register key = load_key(u.key, b);
                       b.add(Dynset{ops[static_cast<int>(u.op)], key, u.set, u.timeout.value_or(0) * 1000ull});
                   },
                   [](const Untranslatable&) {},
               },
               s.action);
}

}  // namespace ipt2nft::vm
