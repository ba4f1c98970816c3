// The trace as text: per packet its hooks, chains, matching rules with file:line, and its end.
#include <fmt/format.h>

#include "sim/trace_output.hpp"

namespace ipt2nft::sim {

namespace {

std::string location(const SourceManager& sources, Span s) {
    if (!s.valid()) return "(no source)";
    return fmt::format("{}:{}", sources.name(s.file, s.begin), sources.line_col(s.file, s.begin).line);
}

std::string_view rule_text(const SourceManager& sources, Span s) {
    return s.valid() ? sources.text(s.file).substr(s.begin, s.end - s.begin) : std::string_view{};
}

void print_step(const Step& step, const SourceManager& sources, std::ostream& out) {
    out << fmt::format("  {:<12} {} {}\n", hook_name(step.hook), step.table, step.chain);
    for (const auto& m : step.matches) {
        out << fmt::format("      {}: {}\n", location(sources, m.rule), rule_text(sources, m.rule));
        for (const auto& e : m.effects) out << fmt::format("        {}\n", e);
        if (!m.verdict.empty()) out << fmt::format("        {}\n", m.verdict);
    }
    for (const auto& u : step.unsimulated) out << fmt::format("      not simulated: {}\n", u);
    if (step.matches.empty() || step.matches.back().verdict.empty() || step.end != step.matches.back().verdict)
        out << fmt::format("      {}\n", step.end.empty() ? "end" : step.end);
}

}  // namespace

void print_text(const Trace& trace, size_t number, const SourceManager& sources, std::ostream& out) {
    out << fmt::format("packet {}: {}\n", number, trace.description);
    size_t next_event = 0;
    auto events_until = [&](size_t step) {
        for (; next_event < trace.events.size() && trace.events[next_event].before_step <= step; ++next_event)
            out << fmt::format("  {:<12} {}\n", hook_name(trace.events[next_event].hook),
                               trace.events[next_event].text);
    };
    for (size_t i = 0; i < trace.steps.size(); ++i) {
        events_until(i);
        print_step(trace.steps[i], sources, out);
    }
    events_until(trace.steps.size());
    std::string by = trace.decided_by && trace.decided_by->valid() ? " by " + location(sources, *trace.decided_by) : "";
    out << fmt::format("  verdict: {}: {}{} ({}, ct {})\n", trace.accepted ? "accept" : "drop", trace.end, by,
                       trace.final_flow, trace.ct_state);
    if (trace.unsimulated) out << "  warning: some expressions were not simulated; the kernel may decide otherwise\n";
}

}  // namespace ipt2nft::sim
