// The whole script: per table, a flush by delete-and-recreate (idempotent like
// iptables-restore), helper objects, base chains with hook, priority and policy, rules.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "backends/nft/inet_merge.hpp"
#include "backends/nft/nft_backend.hpp"
#include "backends/nft/nft_names.hpp"
#include "backends/nft/print_inet.hpp"
#include "backends/nft/print_value.hpp"
#include "backends/nft/statement_words.hpp"
#include "ir/meters.hpp"
#include "ir/netfilter_tables.hpp"
#include "ir/protocols.hpp"
#include "util/ordered_batches.hpp"

namespace ipt2nft::nft {

std::string base_chain_type(std::string_view table, std::string_view chain) {
    const BuiltinChain* b = find_builtin_chain(table, chain);
    if (!b) return {};
    auto name = priority_name(table, b->hook);
    std::string priority = name ? std::string(*name) : std::to_string(b->priority);
    return fmt::format("type {} hook {} priority {};", b->type, hook_name(b->hook), priority);
}

bool print_declarations(const std::vector<const Table*>& tables, const ScriptOptions& options, std::ostream& out) {
    // nft wants each helper object defined in the table before a rule names it.
    std::set<CtHelper> helpers;
    for (const Table* t : tables)
        for (const auto& ch : t->chains) collect_ct_helpers(ch.rules, helpers);
    for (const auto& h : helpers)
        out << fmt::format("\tct helper {} {{\n\t\ttype \"{}\" protocol {}\n\t}}\n", helper_object_name(h), h.helper,
                           helper_protocol(h));
    // And each set before a rule looks it up.
    bool declared = !helpers.empty();
    for (const Table* t : tables) {
        for (const auto& set : dynamic_sets(*t)) {
            out << fmt::format("\tset {} {{ {} }}\n", set.name, dynamic_set_spec(set));
            declared = true;
        }
        for (const MeterSet& set : meter_sets(*t))
            if (set.meter->shared) {
                out << fmt::format("\tset {} {{ {} }}\n", set.meter->name, meter_set_spec(*set.meter));
                declared = true;
            }
        for (const DeclaredIpset& set : t->ipsets) out << ipset_declaration(set, options.counters);
        declared |= !t->ipsets.empty();
    }
    return declared;
}

namespace {

// A script that adds to the kernel's tables leaves a policy it was not given as the kernel has it.
std::string chain_header(const Table& t, const Chain& ch, const ScriptOptions& options) {
    std::string type = base_chain_type(t.name, ch.name);
    if (type.empty()) return {};
    if (options.noflush && !ch.policy) return fmt::format("\t\t{}\n", type);
    return fmt::format("\t\t{} policy {};\n", type, ch.policy == VerdictKind::drop ? "drop" : "accept");
}

// With --noflush, what the input did to the kernel's chains beyond adding rules, before them.
void print_kernel_edits(const Table& t, std::ostream& out) {
    if (t.kernel_edits.empty()) return;
    const char* family = family_name(t.family);
    out << fmt::format("table {} {}\n", family, t.name);
    for (const KernelEdit& e : t.kernel_edits) {
        switch (e.kind) {
            case KernelEdit::Kind::flush_table: out << fmt::format("flush table {} {}\n", family, t.name); break;
            case KernelEdit::Kind::flush_chain: {
                // A built-in chain the kernel may not hold yet is made with its hook, as iptables does.
                std::string type = base_chain_type(t.name, e.chain);
                out << fmt::format("add chain {} {} {}{}\nflush chain {} {} {}\n", family, t.name, e.chain,
                                   type.empty() ? "" : " { " + type + " }", family, t.name, e.chain);
                break;
            }
            case KernelEdit::Kind::delete_chain:
                out << fmt::format("delete chain {} {} {}\n", family, t.name, e.chain);
                break;
        }
    }
}

// A place in a table's text: chain `chain`, line `line` of it, where line 0 opens the chain,
// lines 1 to n are its rules and line n + 1 closes it.
struct Place {
    size_t chain, line;
};

size_t lines_of(const Chain& ch) {
    return ch.rules.size() + 2;
}

// The table's chains cut into pieces of `size` lines; a long chain is cut inside, so that no
// piece is much larger than another.
std::vector<Place> cut_into_pieces(const Table& t, size_t size) {
    std::vector<Place> cuts{{0, 0}};
    size_t filled = 0;
    for (size_t c = 0; c < t.chains.size(); ++c) {
        size_t lines = lines_of(t.chains[c]);
        for (size_t line = 0; lines - line >= size - filled;) {
            line += size - filled;
            filled = 0;
            cuts.push_back(line == lines ? Place{c + 1, 0} : Place{c, line});
        }
        filled += lines - (cuts.back().chain == c ? cuts.back().line : 0);
    }
    if (cuts.back().chain != t.chains.size()) cuts.push_back({t.chains.size(), 0});
    return cuts;
}

void print_line(const Table& t, size_t chain, size_t line, bool first_in_table, const ScriptOptions& options,
                std::string& text) {
    const Chain& ch = t.chains[chain];
    if (line == 0) {
        if (!first_in_table) text += '\n';
        text += "\tchain ";
        text += ch.name;
        text += " {\n";
        text += chain_header(t, ch, options);
    } else if (line <= ch.rules.size()) {
        const Rule& r = ch.rules[line - 1];
        if (r.origin.ahead_of_kernel_rules) return;  // inserted after the table: print_insertions
        text += "\t\t";
        if (r.untranslatable())
            append_untranslated(r, "\t\t", text);
        else
            print_nft_rule(r, options, text);
        text += '\n';
    } else {
        text += "\t}\n";
    }
}

// --noflush: the rules -I put ahead of those the kernel holds, each inserted at the chain's head,
// the last first; a pair's second rule added right after its first.
void print_insertions(const Table& t, const ScriptOptions& options, std::ostream& out) {
    const char* family = family_name(t.family);
    for (const auto& ch : t.chains) {
        size_t ahead = 0;
        while (ahead < ch.rules.size() && ch.rules[ahead].origin.ahead_of_kernel_rules) ++ahead;
        std::string insert = fmt::format("insert rule {} {} {} ", family, t.name, ch.name);
        std::string after_first = fmt::format("add rule {} {} {} index 0 ", family, t.name, ch.name);
        for (size_t k : head_insertion_order(ch.rules, ahead)) {
            const Rule& r = ch.rules[k];
            std::string line;
            if (r.untranslatable()) {
                append_untranslated(r, "", line);
            } else {
                line = r.origin.second_of_pair ? after_first : insert;
                print_nft_rule(r, options, line);
            }
            out << line << '\n';
        }
    }
}

void print_table(const Table& t, const ScriptOptions& options, std::ostream& out) {
    const char* family = family_name(t.family);
    if (!options.noflush)
        out << fmt::format("table {0} {1}\ndelete table {0} {1}\n", family, t.name);
    else
        print_kernel_edits(t, out);
    out << fmt::format("table {} {} {{\n", family, t.name);
    bool declared = print_declarations({&t}, options, out);
    // The chains are printed in pieces on worker threads and written in order: a stream call per
    // rule would cost more than printing the rule.
    std::vector<Place> cuts = cut_into_pieces(t, 256);
    for_each_batch_in_order<std::string>(
        cuts.size() - 1, hardware_threads(),
        [&](size_t p) {
            std::string text;
            for (Place at = cuts[p]; at.chain < cuts[p + 1].chain || at.line < cuts[p + 1].line;) {
                print_line(t, at.chain, at.line, at.chain == 0 && !declared, options, text);
                if (++at.line == lines_of(t.chains[at.chain])) at = {at.chain + 1, 0};
            }
            return text;
        },
        [&](std::string&& text) { out.write(text.data(), static_cast<std::streamsize>(text.size())); });
    out << "}\n";
    if (options.noflush) print_insertions(t, options, out);
}

}  // namespace

void append_untranslated(const Rule& r, std::string_view indent, std::string& out) {
    std::string_view text;
    for (const auto& s : r.statements)
        if (auto* u = std::get_if<Untranslatable>(&s.action)) text = u->rule_text;
    out += "# untranslated: ";
    for (size_t nl; (nl = text.find('\n')) != std::string_view::npos; text.remove_prefix(nl + 1)) {
        out += text.substr(0, nl);
        out += '\n';
        out += indent;
        out += "# ";
    }
    out += text;
}

namespace {

void print_ipset_element(const Ipset& set, const Selector& key, const IpsetElement& e, bool counters,
                         std::string& out) {
    print_value(key, e.key, out);
    if (e.timeout) fmt::format_to(std::back_inserter(out), " timeout {}s", *e.timeout);
    if (counters && set.counters && e.counts)
        fmt::format_to(std::back_inserter(out), " counter packets {} bytes {}", e.counts->packets, e.counts->bytes);
    if (e.comment && !ipset_merges_elements(set)) {
        out += " comment ";
        print_quoted(*e.comment, out);
    }
}

}  // namespace

std::string ipset_declaration(const DeclaredIpset& declared, bool counters) {
    const Ipset& set = *declared.set;
    std::vector<std::string_view> types;
    for (Datatype type : ipset_key_types(set)) types.push_back(key_type_name(type));
    std::string out = fmt::format("\tset {} {{\n\t\ttype {}\n", set.name, fmt::join(types, " . "));
    auto flags = ipset_flag_words(declared);
    if (!flags.empty()) fmt::format_to(std::back_inserter(out), "\t\tflags {}\n", fmt::join(flags, ","));
    if (set.timeout.value_or(0) > 0) fmt::format_to(std::back_inserter(out), "\t\ttimeout {}s\n", *set.timeout);
    if (declared.updated) fmt::format_to(std::back_inserter(out), "\t\tsize {}\n", ipset_size(set));
    if (counters && set.counters) out += "\t\tcounter\n";
    if (!set.elements.empty()) {
        Selector key = ipset_declared_key(set);
        out += "\t\telements = { ";
        for (size_t i = 0; i < set.elements.size(); ++i) {
            if (i) out += ",\n\t\t\t     ";
            print_ipset_element(set, key, set.elements[i], counters, out);
        }
        out += " }\n";
    }
    out += "\t}\n";
    return out;
}

// The set rules sharing a hashlimit update: its key's types; the timeout, which the updates leave
// to the set.
std::string meter_set_spec(const Meter& meter) {
    std::vector<std::string_view> types;
    for (const ConcatPart& part : meter.key.parts()) types.push_back(key_type_name(part_datatype(part)));
    return fmt::format("type {}; size {}; flags dynamic,timeout; timeout {};", fmt::join(types, " . "),
                       meter.size.value_or(dynamic_set_size), nft_duration(meter.timeout_ms));
}

std::string dynamic_set_spec(const DynamicSet& set) {
    // nft gives a dynamic set its default size (dynamic_set_size) itself, as apply does. A set no
    // rule adds to is not dynamic: so libnftables' JSON, which has no such flag, says it alike.
    std::vector<std::string_view> flags;
    if (set.added_to) flags.push_back("dynamic");
    if (set.timeout) flags.push_back("timeout");
    std::string spec = fmt::format("type {};", set.key == Datatype::ipv4_address ? "ipv4_addr" : "ipv6_addr");
    if (!flags.empty()) spec += fmt::format(" flags {};", fmt::join(flags, ","));
    if (set.timeout) spec += fmt::format(" timeout {}s;", *set.timeout);
    return spec;
}

std::string_view helper_protocol(const CtHelper& helper) {
    return find_protocol(helper.protocol)->nft_name;  // tcp or udp: CT --helper needs one
}

void print_script(const Ruleset& ruleset, const ScriptOptions& options, std::ostream& out) {
    std::vector<InetTable> merged;
    if (options.inet) merged = inet_tables(ruleset, options);
    for_each_table(
        ruleset, merged, [&](const Table& t) { print_table(t, options, out); },
        [&](const InetTable& inet) { print_inet_table(inet, options, out); });
}

}  // namespace ipt2nft::nft
