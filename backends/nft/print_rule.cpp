// One rule in nft syntax: conditions in order, `counter`, statements, then the comment.
#include <fmt/format.h>
#include <linux/netfilter/nf_nat.h>

#include <algorithm>
#include <iterator>

#include "backends/nft/nft_backend.hpp"
#include "backends/nft/nft_names.hpp"
#include "backends/nft/print_value.hpp"
#include "backends/nft/statement_words.hpp"
#include "backends/nft/written_conditions.hpp"
#include "ir/meters.hpp"
#include "ir/protocols.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::nft {

namespace {

bool is_mark(const Selector& s) {
    if (auto* m = std::get_if<MetaSelector>(&s)) return m->key == MetaKey::mark;
    if (auto* c = std::get_if<CtSelector>(&s)) return c->key == CtKey::mark;
    return false;
}

std::string value_string(const Selector& s, const Value& v, bool raw) {
    std::string out;
    print_value(s, v, out, raw);
    return out;
}

void print_compare(const Compare& c, std::string& out, bool raw) {
    auto to = std::back_inserter(out);
    print_selector(c.selector, out, raw);
    out += ' ';
    if (std::holds_alternative<TcpOptionSelector>(c.selector)) {
        print_value(c.selector, c.value, out);  // exists / missing
        return;
    }
    // An address with a non-contiguous mask: `ip saddr & mask == address`.
    if (auto* pre = std::get_if<Prefix>(&c.value.v); pre && !prefix_length(pre->mask)) {
        fmt::format_to(to, "& {} {} {}", to_string(pre->mask), c.op == Op::neq ? "!=" : "==", to_string(pre->address));
        return;
    }
    if (c.mask) {
        std::string value = value_string(c.selector, c.value, raw);
        std::string mask = value_string(c.selector, Value(*c.mask), raw);
        auto* p = raw ? nullptr : std::get_if<PayloadSelector>(&c.selector);
        bool flags = p && p->field == PayloadField::tcp_flags;
        // nft 1.0.6 reads `flags v / m` only when m lists two or more flags.
        if (flags && c.op == Op::masked_eq && mask.find(',') != std::string::npos) {
            fmt::format_to(to, "{} / {}", value, mask);
        } else if (flags) {
            std::replace(mask.begin(), mask.end(), ',', '|');
            fmt::format_to(to, "& ({}) {} {}", mask, c.op == Op::masked_eq ? "==" : "!=", value);
        } else {
            fmt::format_to(to, "{} {} {} {}", is_mark(c.selector) ? "and" : "&", mask, relation_symbol(c.op), value);
        }
        return;
    }
    switch (c.op) {
        case Op::eq: break;
        case Op::neq: out += "!= "; break;
        case Op::lt: out += "lt "; break;
        case Op::gt: out += "gt "; break;
        case Op::le: out += "le "; break;
        case Op::ge: out += "ge "; break;
        case Op::any_flag:
        case Op::no_flag: {
            if (c.op == Op::no_flag) out += "! ";
            if (auto* set = std::get_if<ValueSet>(&c.value.v)) {
                for (size_t i = 0; i < set->elements.size(); ++i) {
                    if (i) out += ',';
                    print_value(c.selector, set->elements[i], out, raw);
                }
                return;
            }
            break;
        }
        case Op::masked_eq:
        case Op::masked_neq: out.pop_back(); return;  // a masked test always has its mask
    }
    print_value(c.selector, c.value, out, raw);
}

// `ip saddr & 255.255.255.0`: the key a recent list is kept by.
void print_set_key(const SetTest& t, std::string& out) {
    print_selector(PayloadSelector{t.key}, out);
    if (t.mask) out += " & " + to_string(*t.mask);
}

// xt_recent's list as nft's dynamic set: looked up (`ip saddr @SSH`), or updated, or both; a
// connection count as an element's own (`add @connlimit0 { ip saddr ct count over 2 }`).
void print_set_test(const SetTest& t, std::string& out) {
    auto to = std::back_inserter(out);
    if (t.action == SetTest::Action::count) {
        fmt::format_to(to, "add @{} {{ ", t.set);
        print_set_key(t, out);
        fmt::format_to(to, " ct count {}{} }}", t.inverted ? "" : "over ", t.connections);
        return;
    }
    if (t.action != SetTest::Action::add) {
        print_set_key(t, out);
        fmt::format_to(to, " {}@{}", t.inverted ? "!= " : "", t.set);
        if (t.action == SetTest::Action::check) return;
        out += ' ';
    }
    fmt::format_to(to, "update @{} {{ ", t.set);
    print_set_key(t, out);
    if (t.seconds) fmt::format_to(to, " timeout {}s", *t.seconds);
    out += " }";
}

// A hashlimit's key: its fields, an address masked to its prefix.
void print_meter_key(const Meter& m, std::string& out) {
    for (size_t i = 0; i < m.key.parts().size(); ++i) {
        if (i) out += " . ";
        print_selector(part_selector(m.key.parts()[i]), out);
        if (auto mask = meter_part_mask(m, m.key.parts()[i])) out += " & " + to_string(*mask);
    }
}

// A hashlimit of one rule as nft's meter (`meter https { ip saddr timeout 1s limit rate 5/second
// burst 5 packets }`); a shared one as an update of the table's set, which gives the timeout.
void print_meter(const Meter& m, std::string& out) {
    auto to = std::back_inserter(out);
    if (m.shared) {
        fmt::format_to(to, "update @{} {{ ", m.name);
        print_meter_key(m, out);
    } else {
        fmt::format_to(to, "meter {}", m.name);
        if (m.size) fmt::format_to(to, " size {}", *m.size);
        out += " { ";
        print_meter_key(m, out);
        fmt::format_to(to, " timeout {}", nft_duration(m.timeout_ms));
    }
    fmt::format_to(to, " limit rate {}{}/{} burst {} packets }}", m.over ? "over " : "", m.limit.rate,
                   rate_unit(m.limit.period), m.limit.burst);
}

void print_condition(const Condition& c, std::string& out, bool raw) {
    std::visit(overloaded{
                   [&](const SetTest& t) { print_set_test(t, out); },
                   [&](const Meter& m) { print_meter(m, out); },
                   [&](const Compare& cmp) { print_compare(cmp, out, raw); },
                   [&](const RateLimit& l) {
                       fmt::format_to(std::back_inserter(out), "limit rate {}/{}", l.rate, rate_unit(l.period));
                       if (l.burst) fmt::format_to(std::back_inserter(out), " burst {} packets", l.burst);
                   },
                   [&](const Quota& q) {
                       fmt::format_to(std::back_inserter(out), "quota {}{} bytes", q.over ? "over " : "", q.bytes);
                   },
                   [&](const IpsetLookup& l) {
                       print_selector(l.key, out, raw);
                       fmt::format_to(std::back_inserter(out), " {}@{}", l.inverted ? "!= " : "", l.set);
                   },
               },
               c.test);
}

// How nft writes a field that a statement sets (`meta mark set`, `ct original zone set`).
void print_set_target(const Selector& field, std::string& out) {
    if (auto* m = std::get_if<MetaSelector>(&field)) {
        if (m->key != MetaKey::nftrace) out += "meta ";
        out += describe(m->key).word;
        return;
    }
    print_selector(field, out);
}

void print_set_field(const SetField& s, std::string& out) {
    const FieldExpression& e = s.value;
    auto to = std::back_inserter(out);
    print_set_target(s.field, out);
    out += " set ";
    if (e.constant) {
        out += field_number(s.field, *e.constant);
        return;
    }
    bool operations = e.and_mask || e.xor_value || e.or_value;
    bool shifted = e.right_shift || e.left_shift;
    if (operations && shifted) out += "( ";
    print_selector(*e.source, out);
    if (e.and_mask) fmt::format_to(to, " and {}", field_number(s.field, *e.and_mask));
    if (e.xor_value) fmt::format_to(to, " xor {}", field_number(s.field, *e.xor_value));
    if (e.or_value) fmt::format_to(to, " or {}", field_number(s.field, *e.or_value));
    if (operations && shifted) out += " )";
    if (shifted)
        fmt::format_to(to, " {} {}", e.right_shift ? ">>" : "<<", e.right_shift ? e.right_shift : e.left_shift);
}

void print_log_flags(uint8_t flags, std::string& out) {
    // nft's syntax joins the two TCP flags: `flags tcp sequence,options`.
    if ((flags & log_tcp_sequence) && (flags & log_tcp_options)) {
        out += " flags tcp sequence,options";
        flags &= ~(log_tcp_sequence | log_tcp_options);
    }
    for (std::string_view word : log_flag_words(flags)) {
        out += " flags ";
        out += word;
    }
}

// Port unreachable, the default, is a bare `reject`; a code nft has no name for, its number.
void print_reject(const Reject& r, std::string& out) {
    out += "reject";
    if (r.type == RejectType::tcp_reset) {
        out += " with tcp reset";
        return;
    }
    if (r.code == default_reject_code(r.family)) return;
    fmt::format_to(std::back_inserter(out), " with {} type ", r.family == Family::ipv4 ? "icmp" : "icmpv6");
    if (auto name = reject_code_name(r.family, r.code))
        out += *name;
    else
        fmt::format_to(std::back_inserter(out), "{}", r.code);
}

void print_nat(const Nat& n, std::string& out) {
    auto to = std::back_inserter(out);
    out += nat_keyword(n.kind);
    if (n.flags & NF_NAT_RANGE_NETMAP) {  // NETMAP: the network, whose host bits the address keeps
        fmt::format_to(to, " prefix to {}/{}", to_string(*n.address_low), netmap_length(n));
        return;
    }
    if (n.address_low || n.port_low) out += " to ";
    if (n.address_low) {
        // IPv6 with ports: each address in brackets, `[a]-[b]:p` (nft cannot read `[a-b]:p`).
        bool brackets = n.address_low->family == Family::ipv6 && n.port_low;
        auto address = [&](const Address& a) {
            if (brackets)
                fmt::format_to(to, "[{}]", to_string(a));
            else
                out += to_string(a);
        };
        address(*n.address_low);
        if (n.address_high) {
            out += '-';
            address(*n.address_high);
        }
    }
    if (n.port_low) {
        fmt::format_to(to, ":{}", *n.port_low);
        if (n.port_high && *n.port_high != *n.port_low) fmt::format_to(to, "-{}", *n.port_high);
    }
    const char* separator = " ";
    for (std::string_view word : nat_flag_words(n.flags)) {
        fmt::format_to(to, "{}{}", separator, word);
        separator = ",";
    }
}

void print_statement(const Statement& s, std::string& out) {
    auto to = std::back_inserter(out);
    std::visit(overloaded{
                   [&](const Verdict& v) {
                       switch (v.kind) {
                           case VerdictKind::accept: out += "accept"; return;
                           case VerdictKind::drop: out += "drop"; return;
                           case VerdictKind::return_: out += "return"; return;
                           case VerdictKind::jump: out += "jump "; break;
                           case VerdictKind::go_to: out += "goto "; break;
                       }
                       out += v.chain;
                   },
                   [&](const Reject& r) { print_reject(r, out); },
                   [&](const Log& l) {
                       out += "log";
                       if (l.prefix) fmt::format_to(to, " prefix \"{}\"", *l.prefix);
                       if (l.level) fmt::format_to(to, " level {}", log_level_name(*l.level));
                       print_log_flags(l.flags, out);
                   },
                   [&](const NfLog& l) {
                       out += "log";
                       if (l.prefix) fmt::format_to(to, " prefix \"{}\"", *l.prefix);
                       if (l.snaplen) fmt::format_to(to, " snaplen {}", *l.snaplen);
                       if (l.threshold) fmt::format_to(to, " queue-threshold {}", *l.threshold);
                       fmt::format_to(to, " group {}", l.group);
                   },
                   [&](const Queue& q) {
                       fmt::format_to(to, "queue num {}", q.first);
                       if (q.first != q.last) fmt::format_to(to, "-{}", q.last);
                       if (q.bypass && q.fanout)
                           out += " bypass,fanout";
                       else if (q.bypass)
                           out += " bypass";
                       else if (q.fanout)
                           out += " fanout";
                   },
                   [&](const Nat& n) { print_nat(n, out); }, [&](const SetField& f) { print_set_field(f, out); },
                   [&](const Notrack&) { out += "notrack"; },
                   [&](const CtHelper& h) { fmt::format_to(to, "ct helper set \"{}\"", helper_object_name(h)); },
                   [&](const TcpMss& m) {
                       out += "tcp option maxseg size set ";
                       if (m.size)
                           fmt::format_to(to, "{}", *m.size);
                       else
                           out += "rt mtu";
                   },
                   [&](const Synproxy& p) {
                       // In iptables-translate's order.
                       out += "synproxy";
                       if (p.sack_perm) out += " sack-perm";
                       if (p.timestamp) out += " timestamp";
                       if (p.wscale) fmt::format_to(to, " wscale {}", *p.wscale);
                       if (p.mss) fmt::format_to(to, " mss {}", *p.mss);
                   },
                   [&](const Dup& d) { fmt::format_to(to, "dup to {}", to_string(d.gateway)); },
                   [&](const IpsetUpdate& u) {
                       static constexpr std::string_view ops[] = {"add", "update", "delete"};
                       fmt::format_to(to, "{} @{} {{ ", ops[static_cast<int>(u.op)], u.set);
                       print_selector(u.key, out);
                       if (u.timeout) fmt::format_to(to, " timeout {}s", *u.timeout);
                       out += " }";
                   },
                   [&](const Tproxy& t) {
                       out += "tproxy to ";
                       if (t.address)
                           out += t.address->family == Family::ipv6 ? "[" + to_string(*t.address) + "]"
                                                                     : to_string(*t.address);
                       if (t.port || !t.address) fmt::format_to(to, ":{}", t.port);
                   },
                   [](const Untranslatable&) {},  // the rule is printed as a comment instead
               },
               s.action);
}

}  // namespace

void print_nft_rule(const Rule& rule, const ScriptOptions& options, std::string& out) {
    size_t start = out.size();
    auto separate = [&] {
        if (out.size() > start) out += ' ';
    };
    for_each_written_condition(rule, [&](const Condition& c, bool raw) {
        separate();
        print_condition(c, out, raw);
    });
    if (options.counters) {
        separate();
        if (rule.origin.counters)
            fmt::format_to(std::back_inserter(out), "counter packets {} bytes {}", rule.origin.counters->packets,
                           rule.origin.counters->bytes);
        else
            out += "counter";
    }
    for (const auto& s : rule.statements) {
        separate();
        print_statement(s, out);
    }
    if (rule.origin.comment) {
        separate();
        out += "comment \"";
        append_writable_comment(*rule.origin.comment, out);
        out += '"';
    }
}

}  // namespace ipt2nft::nft
