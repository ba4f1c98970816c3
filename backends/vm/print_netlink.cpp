// Programs in the text `nft --debug=netlink` prints for them (libnftnl's rendering of each
// expression): anonymous sets with their elements, then each rule under its family, table and chain.
#include "backends/vm/print_netlink.hpp"

#include <fmt/format.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "backends/vm/lower_rule.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::vm {

namespace {

// Register data as libnftnl prints it: 32-bit words of the bytes in the host's order, each after
// `prefix` (`0x` in expressions, none in set elements).
void print_words(const Bytes& data, std::string& out, std::string_view prefix = "0x") {
    for (size_t i = 0; i < data.size(); i += 4) {
        uint32_t word = 0;
        for (size_t k = 0; k < 4 && i + k < data.size(); ++k) word |= uint32_t(data[i + k]) << (8 * k);
        fmt::format_to(std::back_inserter(out), "{}{:08x} ", prefix, word);
    }
}

const char* header_name(HeaderBase base) {
    switch (base) {
        case HeaderBase::link: return "link";
        case HeaderBase::network: return "network";
        case HeaderBase::transport: return "transport";
        case HeaderBase::ipv6_extension: break;  // loaded by exthdr
    }
    return "";
}

const char* meta_name(uint8_t key) {
    static const char* names[] = {"len",         "protocol",  "priority", "mark",     "iif",         "oif",
                                  "iifname",     "oifname",   "iiftype",  "oiftype",  "skuid",       "skgid",
                                  "nftrace",     "rtclassid", "secmark",  "nfproto",  "l4proto",     "bri_iifname",
                                  "bri_oifname", "pkttype",   "cpu",      "iifgroup", "oifgroup",    "cgroup",
                                  "prandom",     "secpath",   "iifkind",  "oifkind",  "bri_iifpvid", "bri_iifvproto",
                                  "time",        "day",       "hour"};
    return key < std::size(names) ? names[key] : "unknown";
}

const char* ct_name(uint8_t key) {
    static const char* names[] = {"state",     "direction",  "status",  "mark",    "secmark",  "expiration",
                                  "helper",    "l3protocol", "src",     "dst",     "protocol", "proto_src",
                                  "proto_dst", "label",      "packets", "bytes",   "avgpkt",   "zone",
                                  "event",     "src_ip",     "dst_ip",  "src_ip6", "dst_ip6",  "id"};
    return key < std::size(names) ? names[key] : "unknown";
}

const char* cmp_name(uint8_t op) {
    static const char* names[] = {"eq", "neq", "lt", "lte", "gt", "gte"};
    return op < std::size(names) ? names[op] : "unknown";
}

const char* period_name(uint64_t period) {
    switch (period) {
        case 60: return "minute";
        case 3600: return "hour";
        case 86400: return "day";
        case 604800: return "week";
        default: return "second";
    }
}

void print_limit(const Limit& l, std::string& out) {
    fmt::format_to(std::back_inserter(out), "limit rate {}/{} burst {} type packets flags 0x{:x} ", l.rate,
                   period_name(l.period), l.burst, l.over ? NFT_LIMIT_F_INV : 0);
}

std::string direction(const std::optional<uint8_t>& d) {
    if (!d) return "";
    return fmt::format(", dir {} ", *d == 0 ? "original" : "reply");
}

void print_expression(const Expression& e, std::string& out) {
    auto to = std::back_inserter(out);
    out += "  [ ";
    std::visit(
        overloaded{
            [&](const PayloadLoad& p) {
                fmt::format_to(to, "payload load {}b @ {} header + {} => reg {} ", p.length, header_name(p.base),
                               p.offset, p.dreg);
            },
            [&](const PayloadWrite& p) {
                fmt::format_to(
                    to, "payload write reg {} => {}b @ {} header + {} csum_type {} csum_off {} csum_flags 0x{:x} ",
                    p.sreg, p.length, header_name(p.base), p.offset, p.checksum_type, p.checksum_offset,
                    p.checksum_flags);
            },
            [&](const MetaLoad& m) { fmt::format_to(to, "meta load {} => reg {} ", meta_name(m.key), m.dreg); },
            [&](const MetaSet& m) { fmt::format_to(to, "meta set {} with reg {} ", meta_name(m.key), m.sreg); },
            [&](const CtLoad& c) {
                fmt::format_to(to, "ct load {} => reg {} {}", ct_name(c.key), c.dreg, direction(c.direction));
            },
            [&](const CtSet& c) {
                fmt::format_to(to, "ct set {} with reg {} {}", ct_name(c.key), c.sreg, direction(c.direction));
            },
            [&](const FibLoad& f) {
                out += "fib ";
                const char* names[] = {"saddr", "daddr", "mark", "iif", "oif"};
                uint32_t left = f.flags;
                for (int bit = 0; bit < 5; ++bit)
                    if (left & (1u << bit)) {
                        fmt::format_to(to, "{} ", names[bit]);
                        left &= ~(1u << bit);
                        if (left) out += ". ";
                    }
                fmt::format_to(to, "{} => reg {} ", f.result == NFT_FIB_RESULT_ADDRTYPE ? "type" : "oif", f.dreg);
            },
            [&](const ExthdrLoad& x) {
                fmt::format_to(to, "exthdr load {} {}b @ {} + {}{} => reg {} ",
                               x.op == NFT_EXTHDR_OP_TCPOPT ? "tcpopt" : "ipv6", x.length, x.type, x.offset,
                               x.present ? " present" : "", x.dreg);
            },
            [&](const ExthdrWrite& x) {
                fmt::format_to(to, "exthdr write tcpopt reg {} => {}b @ {} + {} ", x.sreg, x.length, x.type, x.offset);
            },
            [&](const RtLoad& r) {
                const char* key = r.key == NFT_RT_TCPMSS ? "tcpmss" : r.key == NFT_RT_XFRM ? "ipsec" : "unknown";
                fmt::format_to(to, "rt load {} => reg {} ", key, r.dreg);
            },
            [&](const OsfLoad& o) { fmt::format_to(to, "osf dreg {} ", o.dreg); },
            [&](const NumgenLoad& n) { fmt::format_to(to, "numgen reg {} = inc mod {} ", n.dreg, n.modulus); },
            [&](const ByteOrder& o) {
                fmt::format_to(to, "byteorder reg {} = {}(reg {}, {}, {}) ", o.dreg, o.to_network ? "hton" : "ntoh",
                               o.sreg, o.size, o.length);
            },
            [&](const Cmp& c) {
                fmt::format_to(to, "cmp {} reg {} ", cmp_name(c.op), c.sreg);
                print_words(c.data, out);
            },
            [&](const Bitwise& bw) {
                fmt::format_to(to, "bitwise reg {} = ( reg {} & ", bw.dreg, bw.sreg);
                print_words(bw.mask, out);
                out += ") ^ ";
                print_words(bw.xor_value, out);
            },
            [&](const Shift& s) {
                fmt::format_to(to, "bitwise reg {} = ( reg {} {} ", s.dreg, s.sreg, s.left ? "<<" : ">>");
                print_words(
                    Bytes{uint8_t(s.amount), uint8_t(s.amount >> 8), uint8_t(s.amount >> 16), uint8_t(s.amount >> 24)},
                    out);
                out += ") ";
            },
            [&](const Range& r) {
                fmt::format_to(to, "range {} reg {} ", r.negated ? "neq" : "eq", r.sreg);
                print_words(r.from, out);
                print_words(r.to, out);
            },
            [&](const Lookup& l) {
                fmt::format_to(to, "lookup reg {} set __set%d ", l.sreg);
                if (l.inverted) out += "0x1 ";
            },
            [&](const NamedLookup& l) {
                fmt::format_to(to, "lookup reg {} set {} ", l.sreg, l.set);
                if (l.inverted) out += "0x1 ";
            },
            [&](const Dynset& d) {
                static const char* ops[] = {"add", "update"};
                fmt::format_to(to, "dynset {} reg_key {} set {} ", ops[d.op], d.sreg, d.set);
                if (d.timeout_ms) fmt::format_to(to, "timeout {}ms ", d.timeout_ms);
                if (d.connection_limit)
                    fmt::format_to(to, "expr [ connlimit count {} flags {} ] ", *d.connection_limit, d.over ? 1 : 0);
                if (d.limit) {
                    out += "expr [ ";
                    print_limit(*d.limit, out);
                    out += "] ";
                }
            },
            [&](const ImmediateVerdict& v) {
                fmt::format_to(to, "immediate reg 0 {}", verdict_name(v.code));
                if (v.code == VerdictCode::jump || v.code == VerdictCode::go_to) fmt::format_to(to, " -> {}", v.chain);
                out += ' ';
            },
            [&](const ImmediateData& d) {
                fmt::format_to(to, "immediate reg {} ", d.dreg);
                print_words(d.data, out);
            },
            [&](const Counter& c) { fmt::format_to(to, "counter pkts {} bytes {} ", c.packets, c.bytes); },
            [&](const Limit& l) { print_limit(l, out); },
            [&](const Quota& q) {
                fmt::format_to(to, "quota bytes {} consumed 0 flags {} ", q.bytes, q.over ? NFT_QUOTA_F_INV : 0);
            },
            [&](const Log& l) {
                out += "log ";
                if (l.prefix) fmt::format_to(to, "prefix {} ", *l.prefix);
                if (l.group) {
                    fmt::format_to(to, "group {} snaplen {} qthreshold {} ", *l.group, l.snaplen, l.threshold);
                    return;
                }
                if (l.level) fmt::format_to(to, "level {} ", *l.level);
                const std::pair<uint8_t, const char*> flags[] = {
                    {0x01, "tcpseq"}, {0x02, "tcpopt"}, {0x04, "ipopt"}, {0x08, "uid"}, {0x20, "macdecode"}};
                for (auto [bit, name] : flags)
                    if (l.flags & bit) fmt::format_to(to, "{} ", name);
            },
            [&](const Nat& n) {
                fmt::format_to(to, "nat {} {} ", n.destination ? "dnat" : "snat", nfproto_name(n.family));
                if (n.address_min) fmt::format_to(to, "addr_min reg {} ", n.address_min);
                if (n.address_max) fmt::format_to(to, "addr_max reg {} ", n.address_max);
                if (n.port_min) fmt::format_to(to, "proto_min reg {} ", n.port_min);
                if (n.port_max) fmt::format_to(to, "proto_max reg {} ", n.port_max);
                if (n.flags) fmt::format_to(to, "flags 0x{:x} ", n.flags);
            },
            [&](const PortNat& n) {
                out += n.redirect ? "redir " : "masq ";
                if (n.port_min) fmt::format_to(to, "proto_min reg {} ", n.port_min);
                if (n.port_max) fmt::format_to(to, "proto_max reg {} ", n.port_max);
                if (n.flags) fmt::format_to(to, "flags 0x{:x} ", n.flags);
            },
            [&](const Reject& r) { fmt::format_to(to, "reject type {} code {} ", r.type, r.code); },
            [&](const Queue& q) {
                fmt::format_to(to, "queue num {}", q.number);
                if (q.total > 1) fmt::format_to(to, "-{}", q.number + q.total - 1);
                out += ' ';
                if (q.flags & NFT_QUEUE_FLAG_BYPASS) out += "bypass ";
                if (q.flags & NFT_QUEUE_FLAG_CPU_FANOUT) out += "fanout ";
            },
            [&](const Notrack&) { out += "notrack "; },
            [&](const Tproxy& t) {
                fmt::format_to(to, "tproxy {} ", t.family == NFPROTO_IPV4 ? "ip" : "ip6");
                if (t.address) fmt::format_to(to, "addr reg {} ", t.address);
                if (t.port) fmt::format_to(to, "port reg {} ", t.port);
            },
            [&](const Dup& d) { fmt::format_to(to, "dup sreg_addr {} ", d.address); },
            [&](const Synproxy& p) { fmt::format_to(to, "synproxy mss {} wscale {} ", p.mss, p.wscale); },
            [&](const ObjectRef& o) { fmt::format_to(to, "objref type {} name {} ", o.type, o.name); },
        },
        e);
    out += "]\n";
}

void print_set(const AnonymousSet& s, std::string_view table, std::string& out) {
    uint32_t flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | (s.interval ? NFT_SET_INTERVAL : 0) |
                     (s.concatenated ? NFT_SET_CONCAT : 0);
    fmt::format_to(std::back_inserter(out), "__set%d {} {:x} size {}\n__set%d {} 0\n", table, flags, s.elements.size(),
                   table);
    for (const auto& e : s.elements) {
        out += "\telement ";
        print_words(e.key, out, "");
        if (e.key_end) {
            out += " - ";
            print_words(*e.key_end, out, "");
        }
        fmt::format_to(std::back_inserter(out), " : {} [end]", e.interval_end ? 1 : 0);
    }
    out += '\n';
}

}  // namespace

std::string_view verdict_name(VerdictCode code) {
    static constexpr std::string_view names[] = {"accept", "drop", "return", "jump", "goto", "continue"};
    return names[static_cast<size_t>(code)];
}

void print_program(const Program& p, std::string_view family, std::string_view table, std::string_view chain,
                   std::string& out) {
    for (const auto& s : p.sets) print_set(s, table, out);
    fmt::format_to(std::back_inserter(out), "{} {} {}\n", family, table, chain);
    for (const auto& e : p.expressions) print_expression(e, out);
    out += '\n';
}

namespace {

void print_inet_table(const InetTable& merged, bool counters, std::string& text) {
    const std::string& name = merged.v4->name;
    for (const InetChain& c : merged.chains) {
        for (const InetRule& r : c.rules)
            if (!r.rule->untranslatable())
                print_program(lower_rule(*r.rule, r.family(), counters, r.place()), "inet", name, c.name, text);
        if (c.dropped) print_program(inet_policy_drop(*c.dropped), "inet", name, c.name, text);
    }
}

}  // namespace

void print_netlink(const Ruleset& ruleset, bool counters, const std::vector<InetTable>& merged, std::ostream& out) {
    std::string text;
    auto apart = [&](const Table& t) {
        for (const auto& ch : t.chains)
            for (const auto& r : ch.rules)
                if (!r.untranslatable())
                    print_program(lower_rule(r, t.family, counters), family_name(t.family), t.name, ch.name, text);
    };
    for_each_table(ruleset, merged, apart, [&](const InetTable& inet) { print_inet_table(inet, counters, text); });
    out << text;
}

}  // namespace ipt2nft::vm
