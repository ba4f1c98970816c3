// One rule's statements as libnftables JSON: matches, `counter`, then what it does.
#include <linux/netfilter/nf_nat.h>

#include <optional>

#include "backends/json/json_backend.hpp"
#include "backends/json/json_expression.hpp"
#include "backends/nft/nft_names.hpp"
#include "backends/nft/statement_words.hpp"
#include "backends/nft/written_conditions.hpp"
#include "ir/meters.hpp"
#include "util/overloaded.hpp"

namespace ipt2nft::json {

using json = nlohmann::ordered_json;

namespace {

json match(json left, const char* op, json right) {
    return {{"match", {{"op", op}, {"left", std::move(left)}, {"right", std::move(right)}}}};
}

// The relation the script writes for a compare: where it writes none, libnftables' "in"
// (nft's implicit operator: a flag test for flag types, equality for the others).
const char* relation(const Compare& c) {
    switch (c.op) {
        case Op::eq: {
            Datatype t = selector_datatype(c.selector);
            return t == Datatype::tcp_flags || t == Datatype::ct_state || t == Datatype::ct_status ? "in" : "==";
        }
        case Op::any_flag: return "in";
        case Op::no_flag: return "!";
        default: return nft::relation_symbol(c.op);
    }
}

json compare(const Compare& c, bool raw) {
    json left = selector(c.selector, raw);
    if (selector_datatype(c.selector) == Datatype::boolean)
        return match(std::move(left), "==", std::get<uint64_t>(c.value.v) != 0);  // exists / missing
    // An address with a non-contiguous mask: (address field & mask) == address.
    if (auto* pre = std::get_if<Prefix>(&c.value.v); pre && !prefix_length(pre->mask))
        return match(json{{"&", {std::move(left), to_string(pre->mask)}}},
                     c.op == Op::neq ? "!=" : "==", to_string(pre->address));
    if (c.mask) left = json{{"&", {std::move(left), *c.mask}}};
    // Flags a flag test lists are a list (their union), not a set to look the value up in.
    auto* flags = std::get_if<ValueSet>(&c.value.v);
    if (flags && (c.op == Op::any_flag || c.op == Op::no_flag)) {
        json list = json::array();
        for (const auto& flag : flags->elements) list.push_back(value(c.selector, flag, raw));
        return match(std::move(left), relation(c), std::move(list));
    }
    return match(std::move(left), relation(c), value(c.selector, c.value, raw));
}

// xt_recent's list: a lookup in the dynamic set, or its update statement, or both.
void add_set_test(const SetTest& t, json& expressions) {
    json key = selector(PayloadSelector{t.key});
    if (t.mask) key = json{{"&", {std::move(key), to_string(*t.mask)}}};
    std::string set = "@" + std::string(t.set);
    if (t.action == SetTest::Action::count) {
        json count = {{"val", t.connections}};
        if (!t.inverted) count["inv"] = true;  // over
        expressions.push_back(
            {{"set", {{"op", "add"}, {"elem", key}, {"set", set}, {"stmt", {{{"ct count", count}}}}}}});
        return;
    }
    if (t.action != SetTest::Action::add) expressions.push_back(match(key, t.inverted ? "!=" : "==", set));
    if (t.action == SetTest::Action::check) return;
    json element = t.seconds ? json{{"elem", {{"val", key}, {"timeout", *t.seconds}}}} : key;
    expressions.push_back({{"set", {{"op", "update"}, {"elem", element}, {"set", set}}}});
}

json limit_of(const Meter& m) {
    return {
        {"limit",
         {{"rate", m.limit.rate}, {"burst", m.limit.burst}, {"per", nft::rate_unit(m.limit.period)}, {"inv", m.over}}}};
}

// A hashlimit's key: its fields, an address masked to its prefix; concatenated if several.
json meter_key(const Meter& m) {
    json parts = json::array();
    for (const ConcatPart& part : m.key.parts()) {
        json field = selector(part_selector(part));
        if (auto mask = meter_part_mask(m, part)) field = json{{"&", {std::move(field), to_string(*mask)}}};
        parts.push_back(std::move(field));
    }
    return parts.size() == 1 ? parts[0] : json{{"concat", std::move(parts)}};
}

// A hashlimit of one rule as a meter, of several as an update of the table's set.
void add_meter(const Meter& m, json& expressions) {
    if (m.shared) {
        expressions.push_back({{"set",
                                {{"op", "update"},
                                 {"elem", meter_key(m)},
                                 {"set", "@" + std::string(m.name)},
                                 {"stmt", {limit_of(m)}}}}});
        return;
    }
    json meter = {{"key", {{"elem", {{"val", meter_key(m)}, {"timeout", m.timeout_ms / 1000}}}}},
                  {"stmt", limit_of(m)},
                  {"name", m.name}};
    if (m.size) meter["size"] = *m.size;
    expressions.push_back({{"meter", std::move(meter)}});
}

void add_condition(const Condition& c, bool raw, json& expressions) {
    std::visit(overloaded{
                   [&](const Compare& cmp) { expressions.push_back(compare(cmp, raw)); },
                   [&](const RateLimit& l) {
                       json limit = {{"rate", l.rate}, {"per", nft::rate_unit(l.period)}};
                       if (l.burst) limit["burst"] = l.burst;
                       expressions.push_back({{"limit", limit}});
                   },
                   [&](const Quota& q) {
                       expressions.push_back({{"quota", {{"val", q.bytes}, {"val_unit", "bytes"}, {"inv", q.over}}}});
                   },
                   [&](const SetTest& t) { add_set_test(t, expressions); },
                   [&](const Meter& m) { add_meter(m, expressions); },
                   [&](const IpsetLookup& l) {
                       std::string set = "@" + std::string(l.set);
                       expressions.push_back(match(selector(l.key), l.inverted ? "!=" : "==", set));
                   },
               },
               c.test);
}

json number_of(const Selector& field, uint32_t n) {
    return immediate(nft::field_number(field, n));
}

// `meta mark set ct mark and 0xff`: the source, then and, xor, or, then a shift.
json field_value(const SetField& s) {
    const FieldExpression& e = s.value;
    if (e.constant) return number_of(s.field, *e.constant);
    json value = selector(*e.source);
    if (e.and_mask) value = json{{"&", {std::move(value), number_of(s.field, *e.and_mask)}}};
    if (e.xor_value) value = json{{"^", {std::move(value), number_of(s.field, *e.xor_value)}}};
    if (e.or_value) value = json{{"|", {std::move(value), number_of(s.field, *e.or_value)}}};
    if (e.right_shift) value = json{{">>", {std::move(value), e.right_shift}}};
    if (e.left_shift) value = json{{"<<", {std::move(value), e.left_shift}}};
    return value;
}

// A single value, or {"range": [low, high]} when the high end differs.
template <typename T, typename Word>
json one_or_range(const T& low, const std::optional<T>& high, Word word) {
    if (!high || *high == low) return word(low);
    return json{{"range", {word(low), word(*high)}}};
}

json nat(const Nat& n) {
    json body = json::object();
    if (n.flags & NF_NAT_RANGE_NETMAP) {  // NETMAP: the network, whose host bits the address keeps
        body = {{"addr", {{"prefix", {{"addr", to_string(*n.address_low)}, {"len", netmap_length(n)}}}}},
                {"flags", "netmap"},
                {"type_flags", "prefix"}};
        return json{{nft::nat_keyword(n.kind), body}};
    }
    auto address = [](const Address& a) { return json(to_string(a)); };
    auto port = [](uint16_t p) { return json(p); };
    if (n.address_low) body["addr"] = one_or_range(*n.address_low, n.address_high, address);
    if (n.port_low) body["port"] = one_or_range(*n.port_low, n.port_high, port);
    auto flags = nft::nat_flag_words(n.flags);
    if (!flags.empty()) body["flags"] = flags;
    return json{{nft::nat_keyword(n.kind), body.empty() ? json(nullptr) : body}};
}

json reject(const Reject& r) {
    if (r.type == RejectType::tcp_reset) return {{"reject", {{"type", "tcp reset"}}}};
    if (r.code == nft::default_reject_code(r.family)) return {{"reject", nullptr}};
    auto name = nft::reject_code_name(r.family, r.code);
    return {{"reject",
             {{"type", r.family == Family::ipv4 ? "icmp" : "icmpv6"}, {"expr", name ? json(*name) : json(r.code)}}}};
}

json verdict(const Verdict& v) {
    switch (v.kind) {
        case VerdictKind::accept: return {{"accept", nullptr}};
        case VerdictKind::drop: return {{"drop", nullptr}};
        case VerdictKind::return_: return {{"return", nullptr}};
        case VerdictKind::jump: return {{"jump", {{"target", v.chain}}}};
        case VerdictKind::go_to: return {{"goto", {{"target", v.chain}}}};
    }
    return nullptr;
}

json statement(const Statement& s) {
    return std::visit(
        overloaded{
            [](const Verdict& v) { return verdict(v); }, [](const Reject& r) { return reject(r); },
            [](const Log& l) {
                json log = json::object();
                if (l.prefix) log["prefix"] = *l.prefix;
                if (l.level) log["level"] = nft::log_level_name(*l.level);
                if (auto flags = nft::log_flag_words(l.flags); !flags.empty()) log["flags"] = flags;
                return json{{"log", log.empty() ? json(nullptr) : log}};
            },
            [](const NfLog& l) {
                json log = json::object();
                if (l.prefix) log["prefix"] = *l.prefix;
                if (l.snaplen) log["snaplen"] = *l.snaplen;
                if (l.threshold) log["queue-threshold"] = *l.threshold;
                log["group"] = l.group;
                return json{{"log", log}};
            },
            [](const Queue& q) {
                json queue = {
                    {"num", one_or_range(q.first, std::optional(q.last), [](uint16_t n) { return json(n); })}};
                json flags = json::array();
                if (q.bypass) flags.push_back("bypass");
                if (q.fanout) flags.push_back("fanout");
                if (!flags.empty()) queue["flags"] = flags;
                return json{{"queue", queue}};
            },
            [](const Nat& n) { return nat(n); },
            [](const SetField& f) {
                return json{{"mangle", {{"key", selector(f.field)}, {"value", field_value(f)}}}};
            },
            [](const Notrack&) {
                return json{{"notrack", nullptr}};
            },
            [](const CtHelper& h) {
                return json{{"ct helper", helper_object_name(h)}};
            },
            [](const TcpMss& m) {
                json size = m.size ? json(*m.size) : json{{"rt", {{"key", "mtu"}}}};
                return json{
                    {"mangle", {{"key", {{"tcp option", {{"name", "maxseg"}, {"field", "size"}}}}}, {"value", size}}}};
            },
            [](const Synproxy& p) {
                json synproxy = json::object();
                if (p.mss) synproxy["mss"] = *p.mss;
                if (p.wscale) synproxy["wscale"] = *p.wscale;
                json flags = json::array();
                if (p.timestamp) flags.push_back("timestamp");
                if (p.sack_perm) flags.push_back("sack-perm");
                if (!flags.empty()) synproxy["flags"] = flags;
                // libnftables reads an empty object as a reference to a named synproxy.
                return json{{"synproxy", synproxy.empty() ? json(nullptr) : synproxy}};
            },
            [](const Dup& d) { return json{{"dup", {{"addr", to_string(d.gateway)}}}}; },
            [](const IpsetUpdate& u) {
                static constexpr std::string_view ops[] = {"add", "update", "delete"};
                json key = selector(u.key);
                json element = u.timeout ? json{{"elem", {{"val", key}, {"timeout", *u.timeout}}}} : key;
                std::string set = "@" + std::string(u.set);
                return json{{"set", {{"op", ops[static_cast<int>(u.op)]}, {"elem", element}, {"set", set}}}};
            },
            [](const Tproxy& t) {
                json tproxy = json::object();
                if (t.address) tproxy["addr"] = to_string(*t.address);
                if (t.port || !t.address) tproxy["port"] = t.port;
                return json{{"tproxy", tproxy}};
            },
            [](const Untranslatable&) { return json(nullptr); },  // print_json leaves such rules out
        },
        s.action);
}

}  // namespace

json rule_expressions(const Rule& rule, const nft::ScriptOptions& options) {
    json expressions = json::array();
    nft::for_each_written_condition(rule, [&](const Condition& c, bool raw) { add_condition(c, raw, expressions); });
    if (options.counters) {
        const auto& counted = rule.origin.counters;
        expressions.push_back(counted ? json{{"counter", {{"packets", counted->packets}, {"bytes", counted->bytes}}}}
                                      : json{{"counter", nullptr}});
    }
    for (const auto& s : rule.statements) expressions.push_back(statement(s));
    return expressions;
}

}  // namespace ipt2nft::json
