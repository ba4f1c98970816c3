// `-c`: one iptables command as the nft command lines that do what it does, each a shell command
// `nft '...'`, as iptables-translate prints them.
#include <fmt/format.h>

#include "backends/nft/nft_backend.hpp"

namespace ipt2nft::nft {

namespace {

// `text` as it stands inside the single quotes of a shell command: a quote in it ends them, is
// escaped, and starts them again (a comment "it's" must not end the `nft '...'` line early).
std::string shell_quoted(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out;
}

// The order in which the command adds the chain's rules: as listed, or for -I, which puts each
// at the same place, as head_insertion_order.
std::vector<size_t> command_order(const RuleList& rules, bool inserted) {
    if (inserted) return head_insertion_order(rules, rules.size());
    std::vector<size_t> order(rules.size());
    for (size_t k = 0; k < rules.size(); ++k) order[k] = k;
    return order;
}

}  // namespace

std::optional<std::string> command_lines(const Command& c, const Ruleset& ruleset, const ScriptOptions& script,
                                         Diagnostics& diags) {
    const char* fam = family_name(c.family);
    std::string lines;  // each ends with a newline
    switch (c.kind) {
        case CommandKind::append:
        case CommandKind::insert: {
            // The rules in the order the command adds them: -I puts each at the same place, so
            // the chain lists them backwards.
            const RuleList& rules = ruleset.tables.front().find(c.chain)->rules;
            // -I n puts a rule where it becomes the n-th, which iptables allows while the chain
            // holds n - 1 rules or more: nft's `add ... index n-2` (after the rule at n-2, from 0)
            // does so alike, where `insert ... index n-1` wants the n-th rule to be there already.
            // The second nft rule of a pair (for packets without a connection) follows the first.
            auto add_command = [&](bool second) {
                std::string verb = "add", index;
                if (c.kind == CommandKind::insert) {
                    size_t at = c.number && *c.number > 1 ? *c.number - 1 : 0;  // the first one's place, from 0
                    if (at == 0 && !second)
                        verb = "insert";
                    else
                        index = fmt::format(" index {}", second ? at : at - 1);
                }
                return fmt::format("nft '{} rule {} {} {}{} ", verb, fam, c.table, c.chain, index);
            };
            // `ct helper set` names a helper object of the table, which a script defines in the
            // table and a command line must add first (`add` leaves one that is there as it is).
            std::set<CtHelper> helpers;
            collect_ct_helpers(rules, helpers);
            for (const auto& h : helpers)
                lines += fmt::format("nft 'add ct helper {} {} {} {{ type \"{}\" protocol {}; }}'\n", fam, c.table,
                                     helper_object_name(h), h.helper, helper_protocol(h));
            // So must a set its rules keep (`add` again leaves one that is there as it is).
            for (const auto& set : dynamic_sets(ruleset.tables.front()))
                lines +=
                    fmt::format("nft 'add set {} {} {} {{ {} }}'\n", fam, c.table, set.name, dynamic_set_spec(set));
            for (size_t k : command_order(rules, c.kind == CommandKind::insert)) {
                const Rule& rule = rules[k];
                if (rule.untranslatable()) {
                    // Allowed (else an error above): the command as a comment, once for all its rules.
                    append_untranslated(rule, "", lines);
                    lines += '\n';
                    break;
                }
                std::string body;
                print_nft_rule(rule, script, body);
                lines += add_command(rule.origin.second_of_pair) + shell_quoted(body) + "'\n";
            }
            break;
        }
        case CommandKind::rename:
            lines = fmt::format("nft 'rename chain {} {} {} {}'\n", fam, c.table, c.chain, c.argument);
            break;
        case CommandKind::new_chain:
            // `create` fails on a chain that is there, as -N does; `add` would pass over it.
            lines = fmt::format("nft 'create chain {} {} {}'\n", fam, c.table, c.chain);
            break;
        case CommandKind::delete_chain:
            // nft's command line cannot ask the kernel to keep a chain that holds rules.
            diags.warning(c.chain_span,
                          fmt::format("nft deletes chain {} together with any rules it holds, where iptables -X "
                                      "refuses a chain that holds rules: make sure it is empty",
                                      c.chain),
                          "deletes-rules");
            lines = fmt::format("nft 'delete chain {} {} {}'\n", fam, c.table, c.chain);
            break;
        case CommandKind::flush:
            lines = c.chain.empty() ? fmt::format("nft flush table {} {}\n", fam, c.table)
                                    : fmt::format("nft flush chain {} {} {}\n", fam, c.table, c.chain);
            break;
        case CommandKind::policy:
            lines = fmt::format("nft 'chain {} {} {} {{ policy {}; }}'\n", fam, c.table, c.chain,
                                c.argument == "DROP" ? "drop" : "accept");
            break;
        default:
            diags.error(c.span, "-c translates -A, -I, -N, -X, -E, -F and -P commands", "usage");
            return std::nullopt;
    }
    return lines;
}

}  // namespace ipt2nft::nft
