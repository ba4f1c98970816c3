// Each expectation's test: the verdict, the deciding rule (by place or comment), the flow after
// NAT, where the packet ended and by which interface, its conntrack state.
#include "sim/expectations.hpp"

#include <fmt/format.h>

#include <charconv>

namespace ipt2nft::sim {

namespace {

// delivered, forwarded, sent or dropped, from the trace's end.
std::string end_kind(const Trace& t) {
    for (const char* kind : {"delivered", "forwarded", "sent"})
        if (t.accepted && t.end.starts_with(kind)) return kind;
    return "dropped";
}

std::string out_interface(const Trace& t) {
    size_t at = t.end.find(" out ");
    return t.accepted && at != std::string::npos ? t.end.substr(at + 5) : "";
}

std::string decider(const Trace& t, const SourceManager& sources) {
    if (!t.decided_by || !t.decided_by->valid()) return "policy";
    Span s = *t.decided_by;
    std::string where = fmt::format("{}:{}", sources.name(s.file, s.begin), sources.line_col(s.file, s.begin).line);
    return t.decided_comment ? fmt::format("{} (\"{}\")", where, *t.decided_comment) : where;
}

// `rules.v4:19` (or its base name), `19`, `policy`, or the rule's comment.
bool rule_is(const std::string& expected, const Trace& t, const SourceManager& sources) {
    bool by_rule = t.decided_by && t.decided_by->valid();
    if (expected == "policy") {
        if (!by_rule) return true;
        // A policy is declared by `:CHAIN POLICY` in a save file, or `-P` in a command.
        std::string_view line = sources.line_text(t.decided_by->file, t.decided_by->begin);
        size_t start = line.find_first_not_of(" \t");
        return (start != std::string_view::npos && line[start] == ':') || line.find("-P ") != std::string_view::npos;
    }
    if (!by_rule) return false;
    Span s = *t.decided_by;
    uint32_t line = sources.line_col(s.file, s.begin).line;
    std::string_view place = expected;
    size_t colon = place.rfind(':');
    std::string_view file = colon == std::string_view::npos ? std::string_view{} : place.substr(0, colon);
    std::string_view number = colon == std::string_view::npos ? place : place.substr(colon + 1);
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    if (ec == std::errc{} && end == number.data() + number.size() && !number.empty()) {
        std::string_view name = sources.name(s.file, s.begin);
        bool same_file = file.empty() || name == file || name.ends_with("/" + std::string(file));
        return same_file && n == line;
    }
    return t.decided_comment && *t.decided_comment == expected;
}

}  // namespace

std::vector<std::string> unmet(const Expectation& x, const Trace& t, const SourceManager& sources) {
    std::vector<std::string> out;
    auto check = [&](const std::optional<std::string>& expected, const std::string& got, std::string_view what) {
        if (expected && *expected != got)
            out.push_back(fmt::format("{} is {}, expected {}", what, got.empty() ? "none" : got, *expected));
    };
    check(x.verdict, t.accepted ? "accept" : "drop", "verdict");
    if (x.rule && !rule_is(*x.rule, t, sources))
        out.push_back(fmt::format("decided by {}, expected {}", decider(t, sources), *x.rule));
    check(x.flow, t.final_flow, "flow");
    check(x.end, end_kind(t), "end");
    check(x.out, out_interface(t), "out");
    check(x.ct_state, t.ct_state, "ct state");
    return out;
}

}  // namespace ipt2nft::sim
