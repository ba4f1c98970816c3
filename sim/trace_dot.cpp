// The trace as a Graphviz graph: per packet a cluster, the chains it entered in order as nodes.
#include <fmt/format.h>

#include "sim/trace_output.hpp"

namespace ipt2nft::sim {

namespace {

// Text inside dot's quoted string: backslashes and quotes escaped.
std::string escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string dot_string(std::string_view text) {
    return "\"" + escaped(text) + "\"";
}

}  // namespace

void print_dot(const std::vector<Trace>& traces, const SourceManager& sources, std::ostream& out) {
    out << "digraph ipt2nft_sim {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n";
    for (size_t p = 0; p < traces.size(); ++p) {
        const Trace& t = traces[p];
        out << fmt::format("  subgraph cluster_{} {{\n    label={};\n", p,
                           dot_string(fmt::format("packet {}: {}", p + 1, t.description)));
        for (size_t i = 0; i < t.steps.size(); ++i) {
            const Step& s = t.steps[i];
            std::string label = fmt::format("{}\\n{} {}", hook_name(s.hook), escaped(s.table), escaped(s.chain));
            for (const auto& m : s.matches)
                if (m.rule.valid())
                    label += fmt::format("\\nline {}: {}", sources.line_col(m.rule.file, m.rule.begin).line,
                                         m.verdict.empty() ? "match" : escaped(m.verdict));
            label += "\\n" + escaped(s.end);
            out << fmt::format("    p{}s{} [label=\"{}\"];\n", p, i, label);
            if (i) out << fmt::format("    p{}s{} -> p{}s{};\n", p, i - 1, p, i);
        }
        out << fmt::format("    p{}end [shape=ellipse, label={}];\n", p,
                           dot_string(fmt::format("{}: {}", t.accepted ? "accept" : "drop", t.end)));
        if (!t.steps.empty()) out << fmt::format("    p{}s{} -> p{}end;\n", p, t.steps.size() - 1, p);
        out << "  }\n";
    }
    out << "}\n";
}

}  // namespace ipt2nft::sim
