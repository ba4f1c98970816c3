// The whole script: per table, a flush by delete-and-recreate (idempotent like
// iptables-restore), helper objects, base chains with hook, priority and policy, rules.
#include <fmt/format.h>

#include <set>

#include "backends/nft/nft_backend.hpp"
#include "backends/nft/print_value.hpp"
#include "ir/netfilter_tables.hpp"

namespace ipt2nft::nft {

namespace {

std::string chain_header(const Table& t, const Chain& ch) {
    const BuiltinChain* b = find_builtin_chain(t.name, ch.name);
    if (!b) return {};
    auto name = priority_name(t.name, b->hook);
    std::string priority = name ? std::string(*name) : std::to_string(b->priority);
    std::string policy = ch.policy && *ch.policy == "DROP" ? "drop" : "accept";
    return fmt::format("\t\ttype {} hook {} priority {}; policy {};\n", b->type, hook_name(b->hook), priority, policy);
}

std::string_view untranslated_text(const Rule& r) {
    for (const auto& s : r.statements)
        if (auto* u = std::get_if<Untranslatable>(&s.action)) return u->rule_text;
    return {};
}

void print_table(const Table& t, const ScriptOptions& options, std::ostream& out) {
    const char* family = family_name(t.family);
    if (!options.noflush)
        out << fmt::format("table {0} {1}\ndelete table {0} {1}\n", family, t.name);
    else
        for (const auto& ch : t.chains)
            if (ch.emptied_first)
                out << fmt::format("table {0} {1}\nadd chain {0} {1} {2}\nflush chain {0} {1} {2}\n", family, t.name,
                                   ch.name);
    out << fmt::format("table {} {} {{\n", family, t.name);
    std::set<std::pair<std::string_view, std::string_view>> helpers;
    for (const auto& ch : t.chains)
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements)
                if (auto* h = std::get_if<CtHelper>(&s.action)) helpers.emplace(h->helper, h->protocol);
    for (const auto& [helper, proto] : helpers)
        out << fmt::format("\tct helper {0}-{1} {{\n\t\ttype \"{0}\" protocol {1}\n\t}}\n", helper, proto);
    bool first = helpers.empty();
    // Rules are printed into one buffer handed to the stream in large pieces: a stream call
    // per rule would cost more than printing the rule.
    constexpr size_t flush_at = 256 * 1024;
    std::string text;
    text.reserve(flush_at + 4096);
    for (const auto& ch : t.chains) {
        if (!first) text += '\n';
        first = false;
        text += "\tchain ";
        text += ch.name;
        text += " {\n";
        text += chain_header(t, ch);
        for (const auto& r : ch.rules) {
            size_t start = text.size();
            text += "\t\t";
            if (!print_rule_body(r, options, text)) {
                text.resize(start);
                text += "\t\t# untranslated: ";
                text += untranslated_text(r);
            }
            text += '\n';
            if (text.size() >= flush_at) {
                out.write(text.data(), static_cast<std::streamsize>(text.size()));
                text.clear();
            }
        }
        text += "\t}\n";
    }
    text += "}\n";
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

void print_script(const Ruleset& ruleset, const ScriptOptions& options, std::ostream& out) {
    for (const auto& t : ruleset.tables) print_table(t, options, out);
}

}  // namespace ipt2nft::nft
