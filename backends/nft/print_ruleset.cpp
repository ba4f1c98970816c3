// The whole script: per table, a flush by delete-and-recreate (idempotent like
// iptables-restore), helper objects, base chains with hook, priority and policy, rules.
#include <fmt/format.h>

#include <set>

#include "backends/nft/nft_backend.hpp"
#include "backends/nft/nft_names.hpp"
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

void print_table(const Table& t, const ScriptOptions& options, Diagnostics& diags, std::string& out) {
    const char* family = family_name(t.family);
    if (!options.noflush) out += fmt::format("table {0} {1}\ndelete table {0} {1}\n", family, t.name);
    out += fmt::format("table {} {} {{\n", family, t.name);
    std::set<std::pair<std::string, std::string>> helpers;
    for (const auto& ch : t.chains)
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements)
                if (auto* h = std::get_if<CtHelper>(&s.action)) helpers.emplace(h->helper, h->protocol);
    for (const auto& [helper, proto] : helpers)
        out += fmt::format("\tct helper {0}-{1} {{\n\t\ttype \"{0}\" protocol {1}\n\t}}\n", helper, proto);
    bool first = helpers.empty();
    for (const auto& ch : t.chains) {
        if (!ch.builtin && !writable_chain_name(ch.name))
            diags.error(ch.declared,
                        fmt::format("chain name '{}' cannot be written in nft's syntax (an nft keyword or a character nft "
                                    "does not allow in a name): rename the chain",
                                    ch.name),
                        "unwritable-chain-name");
        if (!first) out += '\n';
        first = false;
        out += fmt::format("\tchain {} {{\n", ch.name);
        out += chain_header(t, ch);
        for (const auto& r : ch.rules) {
            bool ok = true;
            std::string body = print_rule_body(r, options, diags, ok);
            if (ok) {
                out += "\t\t" + body + "\n";
            } else {
                out += "\t\t# untranslated: " + r.origin.text + "\n";
            }
        }
        out += "\t}\n";
    }
    out += "}\n";
}

}  // namespace

std::string print_script(const Ruleset& ruleset, const ScriptOptions& options, Diagnostics& diags) {
    std::string out;
    for (const auto& t : ruleset.tables) print_table(t, options, diags, out);
    return out;
}

}  // namespace ipt2nft::nft
