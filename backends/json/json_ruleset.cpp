// The whole ruleset as libnftables JSON commands, in the script's order: per table the replace
// (add, delete, add again) or --noflush's edits, helper objects, chains, then rules.
#include <set>

#include "backends/json/json_backend.hpp"
#include "backends/json/json_expression.hpp"
#include "backends/nft/inet_merge.hpp"
#include "backends/nft/nft_names.hpp"
#include "ir/meters.hpp"
#include "ir/netfilter_tables.hpp"
#include "ir/protocols.hpp"
#include "util/ordered_batches.hpp"

namespace ipt2nft::json {

using json = nlohmann::ordered_json;

namespace {

// Writes the document a command at a time: the commands of a large ruleset are never one value.
class CommandWriter {
public:
    explicit CommandWriter(std::ostream& out) : out_(out) {
        out_ << "{\"nftables\": [\n{\"metainfo\": {\"json_schema_version\": 1}}";
    }
    ~CommandWriter() { out_ << "\n]}\n"; }
    void write(const char* verb, const char* kind, json body) { write_text(command_text(verb, kind, std::move(body))); }
    void write_text(const std::string& text) { out_ << text; }
    static std::string command_text(const char* verb, const char* kind, json body) {
        return ",\n" + json{{verb, {{kind, std::move(body)}}}}.dump();
    }

private:
    std::ostream& out_;
};

// `meta nfproto ipv4` (or ipv6): the packet is of that family.
json nfproto_match(Family family) {
    return {{"match",
             {{"op", "=="},
              {"left", {{"meta", {{"key", "nfproto"}}}}},
              {"right", family == Family::ipv4 ? "ipv4" : "ipv6"}}}};
}

// The table the commands address: a family's word and a name (`inet` for the two --inet merges).
struct TableName {
    std::string_view family;
    std::string_view name;
};

TableName name_of(const Table& t) {
    return {family_name(t.family), t.name};
}

json table_object(TableName t) {
    return {{"family", t.family}, {"name", t.name}};
}

// A chain or object of the table, by name: {"family", "table", "name"}.
json table_member(TableName t, std::string_view name) {
    return {{"family", t.family}, {"table", t.name}, {"name", name}};
}

// The chain, with its type, hook and priority when it is a built-in one (then true).
bool with_hook(TableName t, std::string_view name, json& chain) {
    chain = table_member(t, name);
    const BuiltinChain* b = find_builtin_chain(t.name, name);
    if (!b) return false;
    chain["type"] = b->type;
    chain["hook"] = hook_name(b->hook);
    chain["prio"] = b->priority;
    return true;
}

// A built-in chain with its hook, priority and (unless --noflush leaves the kernel's) policy.
json chain_declaration(const Table& t, const Chain& ch, const nft::ScriptOptions& options) {
    json chain;
    if (with_hook(name_of(t), ch.name, chain) && (!options.noflush || ch.policy))
        chain["policy"] = ch.policy == VerdictKind::drop ? "drop" : "accept";
    return chain;
}

// With --noflush, what the input did to the kernel's chains beyond adding rules, before them.
void write_kernel_edits(const Table& t, CommandWriter& out) {
    for (const KernelEdit& e : t.kernel_edits) {
        switch (e.kind) {
            case KernelEdit::Kind::flush_table: out.write("flush", "table", table_object(name_of(t))); break;
            case KernelEdit::Kind::flush_chain: {
                // A built-in chain the kernel may not hold yet is made with its hook, as iptables does.
                json chain;
                with_hook(name_of(t), e.chain, chain);
                out.write("add", "chain", chain);
                out.write("flush", "chain", table_member(name_of(t), e.chain));
                break;
            }
            case KernelEdit::Kind::delete_chain: out.write("delete", "chain", table_member(name_of(t), e.chain)); break;
        }
    }
}

// With `only`, the rule matches that family's packets alone (an --inet rule of one family's).
json rule_object(TableName t, std::string_view chain, const Rule& r, const nft::ScriptOptions& options,
                 std::optional<Family> only = std::nullopt) {
    json expressions = rule_expressions(r, options);
    if (only) expressions.insert(expressions.begin(), nfproto_match(*only));
    json rule = {{"family", t.family}, {"table", t.name}, {"chain", chain}, {"expr", std::move(expressions)}};
    if (r.origin.comment) {
        std::string comment;
        nft::append_writable_comment(*r.origin.comment, comment);
        rule["comment"] = comment;
    }
    return rule;
}

// The rules added at the chains' ends, formatted on worker threads and written in order.
void write_rules(const Table& t, const nft::ScriptOptions& options, CommandWriter& out) {
    std::vector<std::pair<const Chain*, const Rule*>> rules;
    for (const auto& ch : t.chains)
        for (const Rule& r : ch.rules)
            if (!r.untranslatable() && !r.origin.ahead_of_kernel_rules) rules.emplace_back(&ch, &r);
    constexpr size_t piece = 256;
    for_each_batch_in_order<std::string>(
        (rules.size() + piece - 1) / piece, hardware_threads(),
        [&](size_t p) {
            std::string text;
            for (size_t i = p * piece; i < std::min(rules.size(), (p + 1) * piece); ++i)
                text += CommandWriter::command_text(
                    "add", "rule", rule_object(name_of(t), rules[i].first->name, *rules[i].second, options));
            return text;
        },
        [&](std::string&& text) { out.write_text(text); });
}

// --noflush: the rules -I put ahead of those the kernel holds, each inserted at the chain's head,
// the last first; a pair's second rule added right after its first.
void write_insertions(const Table& t, const nft::ScriptOptions& options, CommandWriter& out) {
    for (const auto& ch : t.chains) {
        size_t ahead = 0;
        while (ahead < ch.rules.size() && ch.rules[ahead].origin.ahead_of_kernel_rules) ++ahead;
        for (size_t k : head_insertion_order(ch.rules, ahead)) {
            const Rule& r = ch.rules[k];
            if (r.untranslatable()) continue;
            json rule = rule_object(name_of(t), ch.name, r, options);
            if (r.origin.second_of_pair) rule["index"] = 0;
            out.write(r.origin.second_of_pair ? "add" : "insert", "rule", rule);
        }
    }
}

// An ipset as a set of the table: its key's types, flags and elements.
json ipset_declaration(TableName t, const DeclaredIpset& declared, bool counters) {
    const Ipset& set = *declared.set;
    json out = table_member(t, set.name);
    json types = json::array();
    for (Datatype type : ipset_key_types(set)) types.push_back(nft::key_type_name(type));
    out["type"] = types.size() == 1 ? types.front() : types;
    // libnftables 1.0.6 takes no "dynamic" flag in JSON: it sets it for a set a rule adds to.
    json flags = json::array();
    for (std::string_view flag : ipset_flag_words(declared))
        if (flag != "dynamic") flags.push_back(flag);
    if (!flags.empty()) out["flags"] = flags;
    if (set.timeout.value_or(0) > 0) out["timeout"] = *set.timeout;
    if (declared.updated) out["size"] = ipset_size(set);
    bool counted = counters && set.counters;
    if (counted) out["stmt"] = json::array({{{"counter", nullptr}}});
    if (set.elements.empty()) return out;
    Selector key = ipset_declared_key(set);
    json elements = json::array();
    for (const IpsetElement& e : set.elements) {
        json v = value(key, e.key);
        bool counts = counted && e.counts;
        if (!e.timeout && !e.comment && !counts) {
            elements.push_back(v);
            continue;
        }
        json element = {{"val", v}};
        if (e.timeout) element["timeout"] = *e.timeout;
        if (e.comment && !ipset_merges_elements(set)) element["comment"] = *e.comment;
        if (counts) element["counter"] = {{"packets", e.counts->packets}, {"bytes", e.counts->bytes}};
        elements.push_back({{"elem", element}});
    }
    out["elem"] = elements;
    return out;
}

// The helper objects and sets the rules of `tables` name, declared in table `at`.
void write_declarations(const std::vector<const Table*>& tables, TableName at, const nft::ScriptOptions& options,
                        CommandWriter& out) {
    std::set<CtHelper> helpers;
    for (const Table* t : tables)
        for (const auto& ch : t->chains) collect_ct_helpers(ch.rules, helpers);
    for (const auto& h : helpers) {
        json helper = table_member(at, helper_object_name(h));
        helper["type"] = h.helper;
        helper["protocol"] = nft::helper_protocol(h);
        out.write("add", "ct helper", helper);
    }
    for (const Table* t : tables)
        for (const auto& set : dynamic_sets(*t)) {
            json declared = table_member(at, std::string(set.name));
            declared["type"] = set.key == Datatype::ipv4_address ? "ipv4_addr" : "ipv6_addr";
            // libnftables 1.0.6 takes no "dynamic" flag in JSON: it sets it for a set a rule adds to.
            if (set.timeout) {
                declared["flags"] = json::array({"timeout"});
                declared["timeout"] = *set.timeout;
            }
            out.write("add", "set", declared);
        }
    for (const Table* t : tables)
        for (const MeterSet& set : meter_sets(*t)) {
            const Meter* meter = set.meter;
            if (!meter->shared) continue;
            json declared = table_member(at, std::string(meter->name));
            json types = json::array();
            for (const ConcatPart& part : meter->key.parts()) types.push_back(nft::key_type_name(part_datatype(part)));
            declared["type"] = types.size() == 1 ? types[0] : types;
            declared["size"] = meter->size.value_or(dynamic_set_size);
            declared["flags"] = json::array({"timeout"});
            declared["timeout"] = meter->timeout_ms / 1000;
            out.write("add", "set", declared);
        }
    for (const Table* t : tables)
        for (const DeclaredIpset& set : t->ipsets)
            out.write("add", "set", ipset_declaration(at, set, options.counters));
}

void write_table(const Table& t, const nft::ScriptOptions& options, CommandWriter& out) {
    out.write("add", "table", table_object(name_of(t)));
    if (!options.noflush) {
        out.write("delete", "table", table_object(name_of(t)));
        out.write("add", "table", table_object(name_of(t)));
    } else {
        write_kernel_edits(t, out);
    }
    write_declarations({&t}, name_of(t), options, out);
    // Every chain before the rules: a rule may jump to a chain declared after its own.
    for (const auto& ch : t.chains) out.write("add", "chain", chain_declaration(t, ch, options));
    write_rules(t, options, out);
    if (options.noflush) write_insertions(t, options, out);
}

// --inet: the ip and ip6 tables of one name as one inet table; the tables of the two families
// deleted, as the separate translation replaces them.
void write_inet_table(const InetTable& merged, const nft::ScriptOptions& options, CommandWriter& out) {
    const Table& v4 = *merged.v4;
    for (std::string_view family : {"ip", "ip6", "inet"}) {
        out.write("add", "table", table_object({family, v4.name}));
        out.write("delete", "table", table_object({family, v4.name}));
    }
    TableName inet{"inet", v4.name};
    out.write("add", "table", table_object(inet));
    write_declarations({merged.v4, merged.v6}, inet, options, out);
    for (const InetChain& c : merged.chains) {
        json chain;
        if (with_hook(inet, c.name, chain)) chain["policy"] = c.policy == VerdictKind::drop ? "drop" : "accept";
        out.write("add", "chain", chain);
    }
    for (const InetChain& c : merged.chains) {
        for (const InetRule& r : c.rules)
            if (!r.rule->untranslatable())
                out.write("add", "rule", rule_object(inet, c.name, *r.rule, options, r.only));
        if (c.dropped) {
            json expressions = json::array({nfproto_match(*c.dropped), {{"drop", nullptr}}});
            out.write("add", "rule",
                      {{"family", "inet"}, {"table", v4.name}, {"chain", c.name}, {"expr", expressions}});
        }
    }
}

}  // namespace

void print_json(const Ruleset& ruleset, const nft::ScriptOptions& options, std::ostream& out) {
    CommandWriter writer(out);
    std::vector<InetTable> merged;
    if (options.inet) merged = nft::inet_tables(ruleset, options);
    for_each_table(
        ruleset, merged, [&](const Table& t) { write_table(t, options, writer); },
        [&](const InetTable& inet) { write_inet_table(inet, options, writer); });
}

}  // namespace ipt2nft::json
