// Test helper: a save file read with a given split, as text: the commands and the diagnostics.
#pragma once
#include <fmt/format.h>

#include <string>

#include "grammar/readers.hpp"

namespace ipt2nft::test {

struct Reading {
    std::string commands;
    std::string diagnostics;
};

inline Reading read(const std::string& text, grammar::SaveFileSplit split) {
    SourceManager sources;
    Diagnostics diags;
    uint32_t file = sources.add("t.v4", text);
    Reading out;
    grammar::read_save_file(
        sources, file, Family::ipv4, diags,
        [&](Command&& c) {
            out.commands += fmt::format("{} {} {} {}-{} {}", static_cast<int>(c.kind), c.table, c.chain, c.span.begin,
                                        c.span.end, c.argument);
            c.each_rule([&](const Rule& rule) {
                out.commands +=
                    fmt::format(" comment={} conditions={} statements={}", rule.origin.comment.value_or("-"),
                                rule.conditions.size(), rule.statements.size());
                if (rule.origin.counters) out.commands += fmt::format(" bytes={}", rule.origin.counters->bytes);
                for (const auto& s : rule.statements)
                    if (auto* u = std::get_if<Untranslatable>(&s.action))
                        out.commands += fmt::format(" [{}]", u->rule_text);
            });
            out.commands += '\n';
            return true;
        },
        split);
    for (const auto& d : diags.all()) out.diagnostics += render_one(sources, d);
    out.diagnostics += fmt::format("{} errors\n", diags.error_count());
    return out;
}

}  // namespace ipt2nft::test
