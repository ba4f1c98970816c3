// The translate pipeline: each stage takes the previous stage's output and nothing else.
#include "driver/translate.hpp"

#include <fmt/format.h>

#include "grammar/command_line.hpp"
#include "grammar/parse.hpp"
#include "grammar/readers.hpp"
#include "ir/passes/apply_commands.hpp"
#include "ir/passes/checks.hpp"

namespace ipt2nft {

namespace {

Family family_of(const TranslateRequest& request, std::string_view text, uint32_t file, Diagnostics& diags) {
    if (request.family) return *request.family;
    if (auto f = grammar::detect_family(text)) return *f;
    diags.note(Span{file, 0, 0}, "nothing tells the IP family of this file: taken as IPv4 (use -6 for IPv6)", "family-assumed");
    return Family::ipv4;
}

}  // namespace

TranslateResult translate(const TranslateRequest& request) {
    TranslateResult result;
    std::vector<Command> commands;
    for (const auto& input : request.inputs) {
        uint32_t file = result.sources.add(input.name, input.text);
        std::string_view text = result.sources.text(file);
        auto more = grammar::detect_format(text) == grammar::InputFormat::save
                        ? grammar::read_save_file(result.sources, file, family_of(request, text, file, result.diags), result.diags)
                        : grammar::read_script(result.sources, file, request.family, result.diags);
        commands.insert(commands.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    Ruleset ruleset;
    apply_commands(commands, ruleset, result.diags, ApplyOptions{request.script.noflush, false});
    size_t untranslatable = run_checks(ruleset, request.script.allow_untranslated, result.diags);
    if (result.diags.has_errors()) return result;
    result.script = nft::print_script(ruleset, request.script, result.diags);
    result.ok = !result.diags.has_errors();
    result.untranslated = untranslatable;
    return result;
}

TranslateResult translate_command(const std::string& command, std::optional<Family> family, const nft::ScriptOptions& script) {
    TranslateResult result;
    uint32_t file = result.sources.add("<command>", command);
    std::string_view text = result.sources.text(file);
    auto commands = grammar::read_script(result.sources, file, family, result.diags);
    if (result.diags.has_errors()) return result;
    if (commands.size() != 1) {
        result.diags.error(Span{file, 0, static_cast<uint32_t>(text.size())}, "-c takes exactly one iptables command",
                           "usage");
        return result;
    }
    const Command& c = commands.front();
    Ruleset ruleset;
    apply_commands(commands, ruleset, result.diags, ApplyOptions{false, true});
    for (const auto& table : ruleset.tables) check_translatable(table, false, result.diags);
    if (result.diags.has_errors()) return result;
    const char* fam = family_name(c.family);
    std::string line;
    switch (c.kind) {
        case CommandKind::append:
        case CommandKind::insert: {
            bool ok = true;
            std::string body = nft::print_rule_body(*c.rule, script, result.diags, ok);
            if (!ok) return result;
            line = fmt::format("nft '{} rule {} {} {} {}'", c.kind == CommandKind::append ? "add" : "insert", fam, c.table, c.chain, body);
            break;
        }
        case CommandKind::new_chain: line = fmt::format("nft 'add chain {} {} {}'", fam, c.table, c.chain); break;
        case CommandKind::delete_chain: line = fmt::format("nft 'delete chain {} {} {}'", fam, c.table, c.chain); break;
        case CommandKind::flush:
            line = c.chain.empty() ? fmt::format("nft flush table {} {}", fam, c.table)
                                   : fmt::format("nft flush chain {} {} {}", fam, c.table, c.chain);
            break;
        case CommandKind::policy:
            line = fmt::format("nft 'chain {} {} {} {{ policy {}; }}'", fam, c.table, c.chain, c.argument == "DROP" ? "drop" : "accept");
            break;
        default:
            result.diags.error(c.span, "-c translates -A, -I, -N, -X, -F and -P commands", "usage");
            return result;
    }
    result.script = line + "\n";
    result.ok = true;
    return result;
}

}  // namespace ipt2nft
