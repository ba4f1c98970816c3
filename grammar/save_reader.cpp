// iptables-save reader: lines read in batches on worker threads, then taken in file order, each
// error located and the line skipped.
#include <fmt/format.h>

#include "grammar/command_line.hpp"
#include "grammar/parse.hpp"
#include "grammar/readers.hpp"
#include "util/ordered_batches.hpp"

namespace ipt2nft::grammar {

namespace {

// What one line says on its own. What it means (which table a rule goes to, whether a table is
// open at all) depends on the lines before it, so that is decided when the batches are taken in order.
struct ReadLine {
    bool readable = false;  // false: its errors are reported and the line is skipped
    SaveLine::Kind kind = SaveLine::Kind::empty;
    std::string_view name;
    Span name_span;
    std::string_view policy;
    Span policy_span;
    std::optional<Counters> counters;
    std::optional<Command> command;  // a rule line's command, its table not yet known
    Span span;
    // Where the line's diagnostics end in its batch's list: those of reading the line itself,
    // then those of its command, which count only if the line turns out to be inside a table.
    size_t line_diagnostics_end = 0;
    size_t diagnostics_end = 0;
};

struct Batch {
    std::vector<ReadLine> lines;
    Diagnostics diags{SIZE_MAX};  // all kept: the cap applies when they join the reader's list
    TextStore store;              // text made from this batch's lines
};

// Whole lines in [begin, end) of the file's text.
struct Range {
    uint32_t begin, end;
};

// Whole lines of text[begin, end): `end` is a line's start or the text's end.
std::vector<Range> cut(std::string_view text, size_t begin, size_t end_of_run, size_t batch_bytes) {
    text = text.substr(0, std::min(end_of_run, text.size()));
    std::vector<Range> ranges;
    while (begin < text.size()) {
        size_t end = std::min(text.size(), begin + std::max<size_t>(batch_bytes, 1));
        if (end < text.size()) {
            size_t nl = text.find('\n', end - 1);
            end = nl == std::string_view::npos ? text.size() : nl + 1;
        }
        ranges.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
        begin = end;
    }
    return ranges;
}

// `counters`: whether the saved counts are kept (iptables-restore sets them to zero without -c).
Batch read_batch(std::string_view text, Range range, uint32_t file, Family family, bool counters) {
    Batch batch;
    CommandContext context{batch.store};
    context.family = family;
    context.in_save = true;
    SaveLine parsed;  // reused: its word list keeps its capacity from line to line
    for (uint32_t offset = range.begin; offset < range.end;) {
        size_t nl = text.find('\n', offset);
        size_t end = nl == std::string_view::npos || nl >= range.end ? range.end : nl;
        std::string_view line = text.substr(offset, end - offset);
        uint32_t line_offset = offset;
        offset = static_cast<uint32_t>(end < range.end ? end + 1 : range.end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files are unambiguous
        ReadLine& r = batch.lines.emplace_back();
        r.span = Span{file, line_offset, line_offset + static_cast<uint32_t>(line.size())};
        r.readable = !reject_binary(line, file, line_offset, batch.diags) &&
                     parse_save_line(line, file, line_offset, batch.store, parsed, batch.diags);
        r.line_diagnostics_end = batch.diags.all().size();
        if (r.readable) {
            r.kind = parsed.kind;
            r.name = parsed.name;
            r.name_span = parsed.name_span;
            r.policy = parsed.policy;
            r.policy_span = parsed.policy_span;
            if (counters) r.counters = parsed.counters;
            if (r.kind == SaveLine::Kind::rule && !parsed.words.empty()) {
                r.command = parse_command(parsed.words, 0, context, batch.diags);
                if (r.command) {
                    Command& c = *r.command;
                    c.span = r.span;
                    c.from_save = true;
                    bool set_in_rule = false;  // by -c, which iptables-restore takes over the [p:b] prefix
                    c.each_rule([&](Rule& rule) {
                        set_in_rule = set_in_rule || rule.origin.counters;
                        if (r.counters && !rule.origin.counters) rule.origin.counters = r.counters;
                        rule.origin.span = r.span;
                        for (auto& s : rule.statements)
                            if (auto* u = std::get_if<Untranslatable>(&s.action)) u->rule_text = line;
                    });
                    if (set_in_rule && r.counters)
                        batch.diags.warning(r.span,
                                            "counts given twice, by the [packets:bytes] prefix and by -c: "
                                            "iptables-restore keeps those of -c, and refuses the line with "
                                            "--counters; those of -c are kept",
                                            "counters-twice");
                }
            }
        }
        r.diagnostics_end = batch.diags.all().size();
    }
    return batch;
}

// Follows the `*table` ... `COMMIT` blocks through the lines, in file order, and hands the
// commands on.
class BlockTracker {
public:
    BlockTracker(Family family, const SaveRun& run, Diagnostics& diags, const CommandSink& sink)
        : family_(family), run_(run), diags_(diags), sink_(sink) {}

    // `batch_diags` holds the line's diagnostics from `begin` on.
    void take(ReadLine& line, Diagnostics& batch_diags, size_t begin) {
        if (passed_over(line)) return;
        batch_diags.transfer(begin, line.line_diagnostics_end, diags_);
        if (!line.readable) return;
        switch (line.kind) {
            case SaveLine::Kind::empty:
            case SaveLine::Kind::comment: break;
            case SaveLine::Kind::table: {
                if (open_)
                    diags_.error(start_, fmt::format("table {} is not closed by COMMIT before the next table", table_),
                                 "missing-commit");
                open_ = true;
                start_ = line.span;
                table_ = line.name;
                table_span_ = line.name_span;
                Command c = block_command(CommandKind::table_begin, line);
                c.table_span = line.name_span;
                c.noflush = run_.noflush;
                sink_(std::move(c));
                break;
            }
            case SaveLine::Kind::chain: {
                if (!open_) {
                    diags_.error(line.span, "chain declaration outside a *table block", "outside-table");
                    break;
                }
                Command c = block_command(CommandKind::chain_declare, line);
                c.table_span = table_span_;
                c.chain = line.name;
                c.chain_span = line.name_span;
                c.argument = line.policy;
                c.argument_span = line.policy_span;
                c.counters = line.counters;
                sink_(std::move(c));
                break;
            }
            case SaveLine::Kind::commit: {
                if (!open_) {
                    diags_.error(line.span, "COMMIT without a *table block", "outside-table");
                    break;
                }
                open_ = false;
                sink_(block_command(CommandKind::commit, line));
                break;
            }
            case SaveLine::Kind::rule: {
                if (!open_) {
                    diags_.error(line.span,
                                 "rule outside a *table block (a save file needs '*filter' or similar first)",
                                 "outside-table");
                    break;
                }
                batch_diags.transfer(line.line_diagnostics_end, line.diagnostics_end, diags_);
                if (!line.command) break;
                line.command->table = table_;
                line.command->table_span = table_span_;
                sink_(std::move(*line.command));
                break;
            }
        }
    }

    void finish() {
        if (open_)
            diags_.error(
                start_,
                fmt::format("table {} is not closed by COMMIT: iptables-restore would apply none of it", table_),
                "missing-commit");
    }

private:
    // With --table, the lines of another table's block, from its `*table` line to its COMMIT
    // (or the next `*table` line), are not read at all.
    bool passed_over(const ReadLine& line) {
        if (!run_.only_table) return false;
        if (line.readable && line.kind == SaveLine::Kind::table) skipping_ = line.name != *run_.only_table;
        if (!skipping_) return false;
        if (line.readable && line.kind == SaveLine::Kind::commit) skipping_ = false;
        return true;
    }

    Command block_command(CommandKind kind, const ReadLine& line) const {
        Command c;
        c.kind = kind;
        c.family = family_;
        c.table = kind == CommandKind::table_begin ? line.name : table_;
        c.span = line.span;
        c.from_save = true;
        return c;
    }

    Family family_;
    const SaveRun& run_;
    bool skipping_ = false;  // in a block --table passes over
    Diagnostics& diags_;
    const CommandSink& sink_;
    bool open_ = false;
    Span start_{};
    std::string_view table_;
    Span table_span_;
};

}  // namespace

void read_save_file(SourceManager& sources, uint32_t file, Family family, Diagnostics& diags, const CommandSink& sink,
                    SaveFileSplit split, SaveRun run) {
    std::string_view text = sources.text(file);
    std::vector<Range> ranges = cut(text, run.begin, run.end, split.batch_bytes);
    size_t threads = split.threads ? split.threads : hardware_threads();
    BlockTracker tracker(family, run, diags, sink);
    for_each_batch_in_order<Batch>(
        ranges.size(), threads, [&](size_t i) { return read_batch(text, ranges[i], file, family, run.counters); },
        [&](Batch&& batch) {
            size_t diagnostics_begin = 0;
            for (auto& line : batch.lines) {
                tracker.take(line, batch.diags, diagnostics_begin);
                diagnostics_begin = line.diagnostics_end;
            }
            sources.adopt(std::move(batch.store));
        });
    tracker.finish();
}

}  // namespace ipt2nft::grammar
