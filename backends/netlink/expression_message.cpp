// vm::Expression → nftnl_expr: each struct's fields into the attributes the kernel reads.
#include "backends/netlink/expression_message.hpp"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "util/overloaded.hpp"

namespace ipt2nft::netlink {

namespace {

void set_bytes(nftnl_expr* e, uint16_t attribute, const vm::Bytes& bytes) {
    nftnl_expr_set(e, attribute, bytes.data(), static_cast<uint32_t>(bytes.size()));
}

// A limit's attributes, in the rule or in a dynset's elements.
void set_limit(nftnl_expr* e, const vm::Limit& l) {
    nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, l.rate);
    nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, l.period);
    nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, l.burst);
    nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
    nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, l.over ? NFT_LIMIT_F_INV : 0);
}

// The verdict codes of nf_tables (linux/netfilter.h and nf_tables.h).
int32_t verdict_code(vm::VerdictCode code) {
    switch (code) {
        case vm::VerdictCode::accept: return NF_ACCEPT;
        case vm::VerdictCode::drop: return NF_DROP;
        case vm::VerdictCode::return_: return NFT_RETURN;
        case vm::VerdictCode::jump: return NFT_JUMP;
        case vm::VerdictCode::go_to: return NFT_GOTO;
        case vm::VerdictCode::continue_: return NFT_CONTINUE;
    }
    return NFT_CONTINUE;
}

}  // namespace

nftnl_expr* make_expression(const vm::Expression& expression,
                            const std::vector<std::pair<std::string, uint32_t>>& set_names) {
    using namespace vm;
    nftnl_expr* e = nullptr;
    auto make = [&](const char* name) {
        e = nftnl_expr_alloc(name);
        return e;
    };
    std::visit(
        overloaded{
            [&](const PayloadLoad& p) {
                make("payload");
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, static_cast<uint32_t>(p.base));
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, p.offset);
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, p.length);
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, p.dreg);
            },
            [&](const PayloadWrite& p) {
                make("payload");
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_SREG, p.sreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, static_cast<uint32_t>(p.base));
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, p.offset);
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, p.length);
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, p.checksum_type);
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, p.checksum_offset);
                nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_FLAGS, p.checksum_flags);
            },
            [&](const MetaLoad& m) {
                make("meta");
                nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, m.key);
                nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, m.dreg);
            },
            [&](const MetaSet& m) {
                make("meta");
                nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, m.key);
                nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, m.sreg);
            },
            [&](const CtLoad& c) {
                make("ct");
                nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, c.key);
                if (c.direction) nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR, *c.direction);
                nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, c.dreg);
            },
            [&](const CtSet& c) {
                make("ct");
                nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, c.key);
                if (c.direction) nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR, *c.direction);
                nftnl_expr_set_u32(e, NFTNL_EXPR_CT_SREG, c.sreg);
            },
            [&](const FibLoad& f) {
                make("fib");
                nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, f.flags);
                nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, f.result);
                nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, f.dreg);
            },
            [&](const ExthdrLoad& x) {
                make("exthdr");
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, x.op);
                nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, x.type);
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, x.offset);
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, x.length);
                if (x.present) nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_FLAGS, NFT_EXTHDR_F_PRESENT);
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_DREG, x.dreg);
            },
            [&](const ExthdrWrite& x) {
                make("exthdr");
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
                nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, x.type);
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, x.offset);
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, x.length);
                nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_SREG, x.sreg);
            },
            [&](const RtLoad& r) {
                make("rt");
                nftnl_expr_set_u32(e, NFTNL_EXPR_RT_KEY, r.key);
                nftnl_expr_set_u32(e, NFTNL_EXPR_RT_DREG, r.dreg);
            },
            [&](const NumgenLoad& n) {
                make("numgen");
                nftnl_expr_set_u32(e, NFTNL_EXPR_NG_DREG, n.dreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, n.modulus);
                nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, NFT_NG_INCREMENTAL);
                nftnl_expr_set_u32(e, NFTNL_EXPR_NG_OFFSET, 0);
            },
            [&](const OsfLoad& o) {
                make("osf");
                nftnl_expr_set_u32(e, NFTNL_EXPR_OSF_DREG, o.dreg);
                nftnl_expr_set_u8(e, NFTNL_EXPR_OSF_TTL, o.ttl);
            },
            [&](const vm::ByteOrder& o) {
                make("byteorder");
                nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, o.sreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, o.dreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, o.to_network ? NFT_BYTEORDER_HTON : NFT_BYTEORDER_NTOH);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, o.length);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, o.size);
            },
            [&](const Cmp& c) {
                make("cmp");
                nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, c.sreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, c.op);
                set_bytes(e, NFTNL_EXPR_CMP_DATA, c.data);
            },
            [&](const Bitwise& b) {
                make("bitwise");
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, b.sreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, b.dreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_BOOL);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, static_cast<uint32_t>(b.mask.size()));
                set_bytes(e, NFTNL_EXPR_BITWISE_MASK, b.mask);
                set_bytes(e, NFTNL_EXPR_BITWISE_XOR, b.xor_value);
            },
            [&](const Shift& s) {
                make("bitwise");
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, s.sreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, s.dreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, s.left ? NFT_BITWISE_LSHIFT : NFT_BITWISE_RSHIFT);
                nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, s.length);
                nftnl_expr_set(e, NFTNL_EXPR_BITWISE_DATA, &s.amount, sizeof s.amount);
            },
            [&](const Range& r) {
                make("range");
                nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, r.sreg);
                nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, r.negated ? NFT_RANGE_NEQ : NFT_RANGE_EQ);
                set_bytes(e, NFTNL_EXPR_RANGE_FROM_DATA, r.from);
                set_bytes(e, NFTNL_EXPR_RANGE_TO_DATA, r.to);
            },
            [&](const Lookup& l) {
                make("lookup");
                nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, l.sreg);
                nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set_names[l.set].first.c_str());
                nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_names[l.set].second);
                if (l.inverted) nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
            },
            [&](const NamedLookup& l) {
                make("lookup");
                nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, l.sreg);
                nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, std::string(l.set).c_str());
                if (l.inverted) nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
            },
            [&](const Dynset& d) {
                make("dynset");
                nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP, d.op);
                nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_KEY, d.sreg);
                nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME, std::string(d.set).c_str());
                if (d.timeout_ms) nftnl_expr_set_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT, d.timeout_ms);
                if (d.connection_limit) {
                    // The dynset owns the element's expression from here.
                    nftnl_expr* count = nftnl_expr_alloc("connlimit");
                    nftnl_expr_set_u32(count, NFTNL_EXPR_CONNLIMIT_COUNT, *d.connection_limit);
                    nftnl_expr_set_u32(count, NFTNL_EXPR_CONNLIMIT_FLAGS, d.over ? NFT_CONNLIMIT_F_INV : 0);
                    nftnl_expr_set(e, NFTNL_EXPR_DYNSET_EXPR, count, 0);
                }
                if (d.limit) {
                    nftnl_expr* limit = nftnl_expr_alloc("limit");
                    set_limit(limit, *d.limit);
                    nftnl_expr_set(e, NFTNL_EXPR_DYNSET_EXPR, limit, 0);
                }
            },
            [&](const ImmediateVerdict& v) {
                make("immediate");
                nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
                nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, static_cast<uint32_t>(verdict_code(v.code)));
                if (v.code == VerdictCode::jump || v.code == VerdictCode::go_to)
                    nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, std::string(v.chain).c_str());
            },
            [&](const ImmediateData& d) {
                make("immediate");
                nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, d.dreg);
                set_bytes(e, NFTNL_EXPR_IMM_DATA, d.data);
            },
            [&](const Counter& c) {
                make("counter");
                nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, c.packets);
                nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, c.bytes);
            },
            [&](const Limit& l) {
                make("limit");
                set_limit(e, l);
            },
            [&](const Quota& q) {
                make("quota");
                nftnl_expr_set_u64(e, NFTNL_EXPR_QUOTA_BYTES, q.bytes);
                nftnl_expr_set_u32(e, NFTNL_EXPR_QUOTA_FLAGS, q.over ? NFT_QUOTA_F_INV : 0);
            },
            [&](const Log& l) {
                make("log");
                if (l.prefix) nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, std::string(*l.prefix).c_str());
                if (l.group) {
                    nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, *l.group);
                    if (l.snaplen) nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, l.snaplen);
                    nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD, l.threshold);
                    return;
                }
                if (l.level) nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, *l.level);
                if (l.flags) nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_FLAGS, l.flags);
            },
            [&](const Nat& n) {
                make("nat");
                nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, n.destination ? NFT_NAT_DNAT : NFT_NAT_SNAT);
                nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, n.family);
                if (n.address_min) nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, n.address_min);
                if (n.address_max) nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, n.address_max);
                if (n.port_min) nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, n.port_min);
                if (n.port_max) nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, n.port_max);
                if (n.flags) nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, n.flags);
            },
            [&](const PortNat& n) {
                make(n.redirect ? "redir" : "masq");
                uint16_t min =
                    n.redirect ? uint16_t{NFTNL_EXPR_REDIR_REG_PROTO_MIN} : uint16_t{NFTNL_EXPR_MASQ_REG_PROTO_MIN};
                uint16_t max =
                    n.redirect ? uint16_t{NFTNL_EXPR_REDIR_REG_PROTO_MAX} : uint16_t{NFTNL_EXPR_MASQ_REG_PROTO_MAX};
                uint16_t flags = n.redirect ? uint16_t{NFTNL_EXPR_REDIR_FLAGS} : uint16_t{NFTNL_EXPR_MASQ_FLAGS};
                if (n.port_min) nftnl_expr_set_u32(e, min, n.port_min);
                if (n.port_max) nftnl_expr_set_u32(e, max, n.port_max);
                if (n.flags) nftnl_expr_set_u32(e, flags, n.flags);
            },
            [&](const Reject& r) {
                make("reject");
                nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, r.type);
                nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, r.code);
            },
            [&](const Queue& q) {
                make("queue");
                nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, q.number);
                nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, q.total);
                nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, q.flags);
            },
            [&](const Notrack&) { make("notrack"); },
            [&](const Tproxy& t) {
                make("tproxy");
                nftnl_expr_set_u32(e, NFTNL_EXPR_TPROXY_FAMILY, t.family);
                if (t.address) nftnl_expr_set_u32(e, NFTNL_EXPR_TPROXY_REG_ADDR, t.address);
                if (t.port) nftnl_expr_set_u32(e, NFTNL_EXPR_TPROXY_REG_PORT, t.port);
            },
            [&](const Dup& d) {
                make("dup");
                nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_ADDR, d.address);
            },
            [&](const Synproxy& p) {
                make("synproxy");
                nftnl_expr_set_u16(e, NFTNL_EXPR_SYNPROXY_MSS, p.mss);
                nftnl_expr_set_u8(e, NFTNL_EXPR_SYNPROXY_WSCALE, p.wscale);
                nftnl_expr_set_u32(e, NFTNL_EXPR_SYNPROXY_FLAGS, p.flags);
            },
            [&](const ObjectRef& o) {
                make("objref");
                nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, o.type);
                nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, o.name.c_str());
            },
        },
        expression);
    return e;
}

}  // namespace ipt2nft::netlink
