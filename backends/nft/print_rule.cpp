// One rule in nft syntax: conditions in order, `counter`, statements, then the comment.
#include <fmt/format.h>

#include <algorithm>

#include "backends/nft/nft_backend.hpp"
#include "backends/nft/nft_names.hpp"
#include "backends/nft/print_value.hpp"

namespace ipt2nft::nft {

namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

bool is_mark(const Selector& s) {
    if (auto* m = std::get_if<MetaSelector>(&s)) return m->key == "mark";
    if (auto* c = std::get_if<CtSelector>(&s)) return c->key == "mark";
    return false;
}

std::string value_text(const Selector& s, const Value& v) {
    std::string out;
    print_value(s, v, out);
    return out;
}

const char* relation(Op op) {
    switch (op) {
        case Op::eq:
        case Op::masked_eq: return "==";
        case Op::neq:
        case Op::masked_neq: return "!=";
        case Op::lt: return "<";
        case Op::gt: return ">";
        case Op::le: return "<=";
        case Op::ge: return ">=";
        case Op::any_flag:
        case Op::no_flag: break;
    }
    return "";
}

void print_compare(const Compare& c, std::string& out) {
    auto to = std::back_inserter(out);
    print_selector(c.selector, out);
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
        std::string value = value_text(c.selector, c.value);
        std::string mask = value_text(c.selector, Value(*c.mask));
        auto* p = std::get_if<PayloadSelector>(&c.selector);
        // nft 1.0.6 reads `flags v / m` only when m lists two or more flags.
        if (p && p->field == "flags" && c.op == Op::masked_eq && mask.find(',') != std::string::npos) {
            fmt::format_to(to, "{} / {}", value, mask);
        } else if (p && p->field == "flags") {
            std::replace(mask.begin(), mask.end(), ',', '|');
            fmt::format_to(to, "& ({}) {} {}", mask, c.op == Op::masked_eq ? "==" : "!=", value);
        } else {
            fmt::format_to(to, "{} {} {} {}", is_mark(c.selector) ? "and" : "&", mask, relation(c.op), value);
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
                    print_value(c.selector, set->elements[i], out);
                }
                return;
            }
            break;
        }
        case Op::masked_eq:
        case Op::masked_neq: out.pop_back(); return;  // a masked test always has its mask
    }
    print_value(c.selector, c.value, out);
}

void print_condition(const Condition& c, std::string& out) {
    std::visit(overloaded{
                   [&](const Compare& cmp) { print_compare(cmp, out); },
                   [&](const RateLimit& l) {
                       fmt::format_to(std::back_inserter(out), "limit rate {}/{}", l.rate, l.unit);
                       if (l.burst) fmt::format_to(std::back_inserter(out), " burst {} packets", l.burst);
                   },
               },
               c.test);
}

std::string hex_field(std::string_view field, uint64_t v) {
    if (field == "ip dscp" || field == "ip6 dscp") return fmt::format("0x{:02x}", v);
    if (field == "meta priority") {
        if (v == 0) return "none";
        if (v == 0xffffffff) return "root";
        return fmt::format("{:x}:{:x}", v >> 16, v & 0xffff);
    }
    if (field == "nftrace" || field == "ct zone" || field == "ip ecn" || field == "ip6 ecn") return std::to_string(v);
    return fmt::format("0x{:x}", v);
}

std::string print_set_field(const SetField& s) {
    const FieldExpression& e = s.value;
    std::string out = s.field == "nftrace" ? std::string("nftrace set ") : fmt::format("{} set ", s.field);
    if (e.constant) return out + hex_field(s.field, *e.constant);
    std::string value(e.source);
    if (e.and_mask) value += " and " + hex_field(s.field, *e.and_mask);
    if (e.xor_value) value += " xor " + hex_field(s.field, *e.xor_value);
    if (e.or_value) value += " or " + hex_field(s.field, *e.or_value);
    bool operations = e.and_mask || e.xor_value || e.or_value;
    if (e.right_shift || e.left_shift)
        value = fmt::format("{}{}{} {} {}", operations ? "( " : "", value, operations ? " )" : "",
                            e.right_shift ? ">>" : "<<", e.right_shift ? e.right_shift : e.left_shift);
    return out + value;
}

std::string nat_address(const Nat& n) {
    std::string out;
    bool v6 = n.address_low && n.address_low->family == Family::ipv6;
    if (n.address_low) {
        // IPv6 with ports: each address in brackets, `[a]-[b]:p` (nft cannot read `[a-b]:p`).
        bool brackets = v6 && n.port_low;
        auto address = [&](const Address& a) { return brackets ? "[" + to_string(a) + "]" : to_string(a); };
        out = address(*n.address_low);
        if (n.address_high) out += "-" + address(*n.address_high);
    }
    if (n.port_low) {
        out += fmt::format(":{}", *n.port_low);
        if (n.port_high && *n.port_high != *n.port_low) out += fmt::format("-{}", *n.port_high);
    }
    return out;
}

// Verdicts end most rules: appended directly, without a string of their own.
void print_verdict(const Verdict& v, std::string& out) {
    switch (v.kind) {
        case VerdictKind::accept: out += "accept"; return;
        case VerdictKind::drop: out += "drop"; return;
        case VerdictKind::return_: out += "return"; return;
        case VerdictKind::jump: out += "jump "; break;
        case VerdictKind::go_to: out += "goto "; break;
    }
    out += v.chain;
}

std::string statement_text(const Statement& s) {
    return std::visit(
        overloaded{
            [](const Verdict&) -> std::string { return {}; },  // print_verdict appends it
            [](const Reject& r) -> std::string {
                if (r.kind.empty()) return "reject";
                if (r.kind == "tcp reset") return "reject with tcp reset";
                return fmt::format("reject with {} type {}", r.kind, r.code);
            },
            [](const Log& l) {
                std::string out = "log";
                if (l.prefix) out += fmt::format(" prefix \"{}\"", *l.prefix);
                if (l.level) out += fmt::format(" level {}", *l.level);
                for (const auto& f : l.flags) out += fmt::format(" flags {}", f);
                return out;
            },
            [](const NfLog& l) {
                std::string out = "log";
                if (l.prefix) out += fmt::format(" prefix \"{}\"", *l.prefix);
                if (l.snaplen) out += fmt::format(" snaplen {}", *l.snaplen);
                if (l.threshold) out += fmt::format(" queue-threshold {}", *l.threshold);
                return out + fmt::format(" group {}", l.group);
            },
            [](const Queue& q) {
                std::string out = q.first == q.last ? fmt::format("queue num {}", q.first)
                                                    : fmt::format("queue num {}-{}", q.first, q.last);
                if (q.bypass && q.fanout)
                    out += " bypass,fanout";
                else if (q.bypass)
                    out += " bypass";
                else if (q.fanout)
                    out += " fanout";
                return out;
            },
            [](const Nat& n) {
                static const char* names[] = {"snat", "dnat", "masquerade", "redirect"};
                std::string out = names[static_cast<int>(n.kind)];
                std::string to = nat_address(n);
                if (!to.empty()) out += " to " + to;
                if (!n.flags.empty()) out += " " + fmt::format("{}", fmt::join(n.flags, ","));
                return out;
            },
            [](const SetField& f) { return print_set_field(f); }, [](const Notrack&) { return std::string("notrack"); },
            [](const CtHelper& h) { return fmt::format("ct helper set \"{}-{}\"", h.helper, h.protocol); },
            [](const TcpMss& m) {
                return m.size ? fmt::format("tcp option maxseg size set {}", *m.size)
                              : std::string("tcp option maxseg size set rt mtu");
            },
            [](const Untranslatable&) -> std::string { return {}; },  // rule is printed as a comment
        },
        s.action);
}

}  // namespace

bool print_rule_body(const Rule& rule, const ScriptOptions& options, std::string& out) {
    if (rule.untranslatable()) return false;
    size_t start = out.size();
    auto separate = [&] {
        if (out.size() > start) out += ' ';
    };
    for (const auto& c : rule.conditions) {
        separate();
        print_condition(c, out);
    }
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
        if (auto* v = std::get_if<Verdict>(&s.action))
            print_verdict(*v, out);
        else
            out += statement_text(s);
    }
    if (rule.origin.comment) {
        separate();
        out += "comment \"";
        append_writable_comment(*rule.origin.comment, out);
        out += '"';
    }
    return true;
}

}  // namespace ipt2nft::nft
