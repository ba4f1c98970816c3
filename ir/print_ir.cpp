// The IR as stable text, for tests and bug reports: every table, chain and rule with its origin,
// each condition and statement with its kernel codes and numbers, nothing rendered for nft.
#include "ir/print_ir.hpp"

#include <fmt/format.h>

#include "util/overloaded.hpp"

namespace ipt2nft {

namespace {

void print_value(const Value& v, std::string& out);

void print_elements(const std::vector<Value>& values, std::string_view separator, std::string& out) {
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += separator;
        print_value(values[i], out);
    }
}

void print_value(const Value& v, std::string& out) {
    auto to = std::back_inserter(out);
    std::visit(overloaded{
                   [&](uint64_t n) { fmt::format_to(to, "{}", n); },
                   [&](const Address& a) { out += to_string(a); },
                   [&](const Prefix& p) { fmt::format_to(to, "{}/{}", to_string(p.address), to_string(p.mask)); },
                   [&](const MacAddress& m) {
                       fmt::format_to(to, "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m.bytes[0], m.bytes[1],
                                      m.bytes[2], m.bytes[3], m.bytes[4], m.bytes[5]);
                   },
                   [&](const InterfaceName& n) { fmt::format_to(to, "ifname \"{}\"{}", n.name, n.wildcard ? "+" : ""); },
                   [&](const Range& r) { print_elements(r.bounds, "-", out); },
                   [&](const ValueSet& s) {
                       out += "{ ";
                       print_elements(s.elements, ", ", out);
                       out += " }";
                   },
                   [&](const Concat& c) { print_elements(c.parts, " . ", out); },
               },
               v.v);
}

void print_selector(const Selector& s, std::string& out) {
    auto to = std::back_inserter(out);
    std::visit(overloaded{
                   [&](const PayloadSelector& p) {
                       const PayloadDescriptor& d = describe(p.field);
                       if (d.field.empty())
                           fmt::format_to(to, "payload {} @nh,{},{}", d.protocol, d.offset_bits, d.length_bits);
                       else
                           fmt::format_to(to, "payload {} {}", d.protocol, d.field);
                   },
                   [&](const MetaSelector& m) { fmt::format_to(to, "meta {}", describe(m.key).word); },
                   [&](const CtSelector& c) {
                       const char* direction = c.direction == CtDirection::original ? " original"
                                               : c.direction == CtDirection::reply  ? " reply"
                                                                                    : "";
                       fmt::format_to(to, "ct{} {}", direction, describe(c.key).word);
                   },
                   [&](const FibSelector& f) {
                       const char* interface = f.interface == FibInterface::iif   ? " iif"
                                               : f.interface == FibInterface::oif ? " oif"
                                                                                  : "";
                       fmt::format_to(to, "fib {}{}{} {}", f.address == FibAddress::saddr ? "saddr" : "daddr",
                                      f.mark ? " mark" : "", interface, f.result == FibResult::type ? "type" : "oif");
                   },
                   [&](const TcpOptionSelector& t) { fmt::format_to(to, "tcp option {} present", t.kind); },
                   [&](const TcpMssSelector&) { out += "tcp option maxseg size"; },
                   [&](const OsfSelector& o) { fmt::format_to(to, "osf ttl {} name", o.ttl); },
                   [&](const NumgenSelector& n) { fmt::format_to(to, "numgen inc mod {}", n.modulus); },
                   [&](const RouteIpsecSelector&) { out += "rt ipsec"; },
                   [&](const RawPayloadSelector& r) { out += raw_payload_word(r); },
                   [&](const ConcatSelector& c) {
                       for (size_t i = 0; i < c.parts().size(); ++i) {
                           if (i) out += " . ";
                           print_selector(part_selector(c.parts()[i]), out);
                       }
                   },
               },
               s);
}

const char* op_name(Op op) {
    static const char* names[] = {"eq", "neq", "lt", "gt", "le", "ge", "any-flag", "no-flag", "masked-eq", "masked-neq"};
    return names[static_cast<int>(op)];
}

void print_condition(const Condition& c, std::string& out) {
    auto to = std::back_inserter(out);
    out += "      match ";
    std::visit(overloaded{
                   [&](const Compare& cmp) {
                       print_selector(cmp.selector, out);
                       if (cmp.mask) fmt::format_to(to, " & {:#x}", *cmp.mask);
                       fmt::format_to(to, " {} ", op_name(cmp.op));
                       print_value(cmp.value, out);
                   },
                   [&](const RateLimit& l) {
                       fmt::format_to(to, "limit {} per {}s burst {}", l.rate, l.period, l.burst);
                   },
                   [&](const Quota& q) { fmt::format_to(to, "quota {}{} bytes", q.over ? "over " : "", q.bytes); },
                   [&](const SetTest& t) {
                       static const char* actions[] = {"add", "check", "check-update", "count"};
                       fmt::format_to(to, "set {} {}{} key ", actions[static_cast<int>(t.action)],
                                      t.inverted ? "! " : "", t.set);
                       print_selector(PayloadSelector{t.key}, out);
                       if (t.mask) out += " & " + to_string(*t.mask);
                       if (t.seconds) fmt::format_to(to, " timeout {}s", *t.seconds);
                       if (t.action == SetTest::Action::count) fmt::format_to(to, " connections {}", t.connections);
                   },
                   [&](const IpsetLookup& l) {
                       print_selector(l.key, out);
                       fmt::format_to(to, " {}in @{}", l.inverted ? "not " : "", l.set);
                   },
                   [&](const Meter& m) {
                       fmt::format_to(to, "meter {}{} key ", m.name, m.shared ? " (shared)" : "");
                       print_selector(m.key, out);
                       if (m.source_prefix) fmt::format_to(to, " source/{}", *m.source_prefix);
                       if (m.destination_prefix) fmt::format_to(to, " destination/{}", *m.destination_prefix);
                       fmt::format_to(to, " timeout {}ms rate {}{}/{}s burst {}", m.timeout_ms, m.over ? "over " : "",
                                      m.limit.rate, m.limit.period, m.limit.burst);
                       if (m.size) fmt::format_to(to, " size {}", *m.size);
                   },
               },
               c.test);
    if (c.protocol_of_match) out += " [protocol of its match]";
    if (c.of_conntrack_match) out += " [conntrack match]";
    out += '\n';
}

void print_expression(const FieldExpression& e, std::string& out) {
    auto to = std::back_inserter(out);
    if (e.constant) {
        fmt::format_to(to, "{:#x}", *e.constant);
        return;
    }
    print_selector(*e.source, out);
    if (e.and_mask) fmt::format_to(to, " & {:#x}", *e.and_mask);
    if (e.xor_value) fmt::format_to(to, " ^ {:#x}", *e.xor_value);
    if (e.or_value) fmt::format_to(to, " | {:#x}", *e.or_value);
    if (e.right_shift) fmt::format_to(to, " >> {}", e.right_shift);
    if (e.left_shift) fmt::format_to(to, " << {}", e.left_shift);
}

const char* verdict_word(VerdictKind kind) {
    static const char* words[] = {"accept", "drop", "return", "jump", "goto"};
    return words[static_cast<int>(kind)];
}

void print_statement(const Statement& s, std::string& out) {
    auto to = std::back_inserter(out);
    out += "      do ";
    std::visit(overloaded{
                   [&](const Verdict& v) {
                       out += verdict_word(v.kind);
                       if (!v.chain.empty()) fmt::format_to(to, " {}", v.chain);
                   },
                   [&](const Reject& r) { fmt::format_to(to, "reject type {} code {}", int(r.type), r.code); },
                   [&](const Log& l) {
                       fmt::format_to(to, "log prefix \"{}\" level {} flags {:#x}", l.prefix.value_or(""),
                                      l.level.value_or(4), l.flags);
                   },
                   [&](const NfLog& l) {
                       fmt::format_to(to, "nflog group {} prefix \"{}\" snaplen {} threshold {}", l.group,
                                      l.prefix.value_or(""), l.snaplen.value_or(0), l.threshold.value_or(0));
                   },
                   [&](const Queue& q) {
                       fmt::format_to(to, "queue {}-{}{}{}", q.first, q.last, q.bypass ? " bypass" : "",
                                      q.fanout ? " fanout" : "");
                   },
                   [&](const Nat& n) {
                       static const char* kinds[] = {"snat", "dnat", "masquerade", "redirect"};
                       out += kinds[static_cast<int>(n.kind)];
                       if (n.address_low) fmt::format_to(to, " address {}", to_string(*n.address_low));
                       if (n.address_high) fmt::format_to(to, "-{}", to_string(*n.address_high));
                       if (n.port_low) fmt::format_to(to, " port {}-{}", *n.port_low, n.port_high.value_or(*n.port_low));
                       fmt::format_to(to, " flags {:#x}", n.flags);
                   },
                   [&](const SetField& f) {
                       out += "set ";
                       print_selector(f.field, out);
                       out += " = ";
                       print_expression(f.value, out);
                   },
                   [&](const Notrack&) { out += "notrack"; },
                   [&](const CtHelper& h) { fmt::format_to(to, "ct helper {} protocol {}", h.helper, h.protocol); },
                   [&](const TcpMss& m) {
                       if (m.size)
                           fmt::format_to(to, "tcp mss = {}", *m.size);
                       else
                           out += "tcp mss = route mtu";
                   },
                   [&](const Synproxy& p) {
                       fmt::format_to(to, "synproxy mss {} wscale {} timestamp {} sack-perm {}", p.mss.value_or(0),
                                      p.wscale.value_or(0), p.timestamp, p.sack_perm);
                   },
                   [&](const Dup& d) { fmt::format_to(to, "dup to {}", to_string(d.gateway)); },
                   [&](const Tproxy& t) {
                       fmt::format_to(to, "tproxy to {} port {}", t.address ? to_string(*t.address) : "-", t.port);
                   },
                   [&](const IpsetUpdate& u) {
                       static const char* ops[] = {"add", "update", "delete"};
                       fmt::format_to(to, "{} @{} ", ops[static_cast<int>(u.op)], u.set);
                       print_selector(u.key, out);
                       if (u.timeout) fmt::format_to(to, " timeout {}s", *u.timeout);
                   },
                   [&](const Untranslatable& u) { fmt::format_to(to, "untranslatable: {}", u.what); },
               },
               s.action);
    out += '\n';
}

void print_rule(const Rule& r, const SourceManager& sources, std::string& out) {
    auto to = std::back_inserter(out);
    LineCol at = sources.line_col(r.origin.span.file, r.origin.span.begin);
    fmt::format_to(to, "    rule {}:{}:{}", sources.name(r.origin.span.file, r.origin.span.begin), at.line, at.col);
    if (r.origin.counters) fmt::format_to(to, " counters {}:{}", r.origin.counters->packets, r.origin.counters->bytes);
    if (r.origin.comment) fmt::format_to(to, " comment \"{}\"", *r.origin.comment);
    if (r.connectionless_states) fmt::format_to(to, " connectionless-states {:#x}", r.connectionless_states);
    if (r.origin.second_of_pair) out += " second-of-pair";
    out += '\n';
    for (const auto& c : r.conditions) print_condition(c, out);
    for (const auto& s : r.statements) print_statement(s, out);
}

}  // namespace

void print_ir(const Ruleset& ruleset, const SourceManager& sources, std::ostream& out) {
    std::string text;
    for (const auto& t : ruleset.tables) {
        fmt::format_to(std::back_inserter(text), "table {} {}\n", family_name(t.family), t.name);
        for (const auto& ch : t.chains) {
            fmt::format_to(std::back_inserter(text), "  chain {}{}", ch.name, ch.builtin ? " builtin" : "");
            if (ch.policy) fmt::format_to(std::back_inserter(text), " policy {}", verdict_word(*ch.policy));
            text += '\n';
            for (const auto& r : ch.rules) print_rule(r, sources, text);
        }
    }
    out << text;
}

}  // namespace ipt2nft
