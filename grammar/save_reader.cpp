// iptables-save reader: line by line, each error located and the line skipped, then go on.
#include <fmt/format.h>

#include "grammar/command_line.hpp"
#include "grammar/parse.hpp"
#include "grammar/readers.hpp"
#include "ir/netfilter_tables.hpp"

namespace ipt2nft::grammar {

void read_save_file(SourceManager& sources, uint32_t file, Family family, Diagnostics& diags, const CommandSink& sink) {
    std::string_view text = sources.text(file);
    CommandContext context{sources.derived()};
    context.family = family;
    bool in_table = false;
    Span table_start{};
    SaveLine parsed;  // reused: its word list keeps its capacity from line to line
    uint32_t offset = 0;
    while (offset < text.size() || (offset == 0 && text.empty())) {
        if (text.empty()) break;
        size_t nl = text.find('\n', offset);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(offset, end - offset);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files are unambiguous
        uint32_t line_offset = offset;
        offset = static_cast<uint32_t>(nl == std::string_view::npos ? text.size() : nl + 1);
        if (reject_binary(line, file, line_offset, diags)) continue;
        if (!parse_save_line(line, file, line_offset, sources.derived(), parsed, diags)) continue;
        Span line_span{file, line_offset, line_offset + static_cast<uint32_t>(line.size())};
        switch (parsed.kind) {
            case SaveLine::Kind::empty:
            case SaveLine::Kind::comment: break;
            case SaveLine::Kind::table: {
                if (in_table)
                    diags.error(table_start,
                                fmt::format("table {} is not closed by COMMIT before the next table", context.table),
                                "missing-commit");
                in_table = true;
                table_start = line_span;
                context.table = parsed.name;
                context.table_span = parsed.name_span;
                context.in_save = true;
                Command c;
                c.kind = CommandKind::table_begin;
                c.family = family;
                c.table = parsed.name;
                c.table_span = parsed.name_span;
                c.span = line_span;
                c.from_save = true;
                sink(std::move(c));
                break;
            }
            case SaveLine::Kind::chain: {
                if (!in_table) {
                    diags.error(line_span, "chain declaration outside a *table block", "outside-table");
                    break;
                }
                Command c;
                c.kind = CommandKind::chain_declare;
                c.family = family;
                c.table = context.table;
                c.table_span = context.table_span;
                c.chain = parsed.name;
                c.chain_span = parsed.name_span;
                c.argument = parsed.policy;
                c.argument_span = parsed.policy_span;
                c.counters = parsed.counters;
                c.span = line_span;
                c.from_save = true;
                sink(std::move(c));
                break;
            }
            case SaveLine::Kind::commit: {
                if (!in_table) {
                    diags.error(line_span, "COMMIT without a *table block", "outside-table");
                    break;
                }
                in_table = false;
                Command c;
                c.kind = CommandKind::commit;
                c.family = family;
                c.table = context.table;
                c.span = line_span;
                c.from_save = true;
                sink(std::move(c));
                break;
            }
            case SaveLine::Kind::rule: {
                if (!in_table) {
                    diags.error(line_span, "rule outside a *table block (a save file needs '*filter' or similar first)",
                                "outside-table");
                    break;
                }
                if (parsed.words.empty()) break;
                auto c = parse_command(parsed.words, 0, context, diags);
                if (!c) break;
                if (parsed.counters && c->rule) c->rule->origin.counters = parsed.counters;
                c->span = line_span;
                if (c->rule) {
                    c->rule->origin.span = line_span;
                    for (auto& s : c->rule->statements)
                        if (auto* u = std::get_if<Untranslatable>(&s.action)) u->rule_text = line;
                }
                sink(std::move(*c));
                break;
            }
        }
    }
    if (in_table)
        diags.error(
            table_start,
            fmt::format("table {} is not closed by COMMIT: iptables-restore would apply none of it", context.table),
            "missing-commit");
}

}  // namespace ipt2nft::grammar
