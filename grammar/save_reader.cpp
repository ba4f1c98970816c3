// iptables-save reader: line by line, each error located and the line skipped, then go on.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "grammar/command_line.hpp"
#include "grammar/parse.hpp"
#include "grammar/readers.hpp"
#include "ir/netfilter_tables.hpp"

namespace ipt2nft::grammar {

namespace {

bool is_binary_byte(unsigned char c) {
    if (c >= 0x20) return c == 0x7f;
    return c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f';
}

// Whether one of the eight bytes of `x` is below 0x20 or is 0x7f (bit tricks on the word; bytes
// from 0x80 up never count). Every byte of every line is checked, so eight at a time.
bool has_control_byte(uint64_t x) {
    constexpr uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    uint64_t del = x ^ (ones * 0x7f);
    return (((x - ones * 0x20) & ~x) | ((del - ones) & ~del)) & highs;
}

}  // namespace

// A NUL or other control byte means this is not text: say so instead of guessing at words.
bool reject_binary(std::string_view line, uint32_t file, uint32_t offset, Diagnostics& diags) {
    size_t i = 0;
    for (; i + 8 <= line.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, line.data() + i, 8);
        if (has_control_byte(word)) break;  // a tab, perhaps: the bytes are looked at one by one
    }
    auto it = std::find_if(line.begin() + static_cast<long>(i), line.end(),
                           [](char c) { return is_binary_byte(static_cast<unsigned char>(c)); });
    if (it == line.end()) return false;
    auto c = static_cast<unsigned char>(*it);
    auto at = offset + static_cast<uint32_t>(it - line.begin());
    diags.error(
        Span{file, at, at + 1},
        c == 0 ? "NUL byte in input: this is not a text ruleset" : fmt::format("control byte 0x{:02x} in input", c),
        "binary-input");
    return true;
}

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
