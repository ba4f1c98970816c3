// The trace as JSON: one object per packet with its verdict and a step per chain entered.
#include "sim/trace_output.hpp"

namespace ipt2nft::sim {

namespace {

nlohmann::json source(const SourceManager& sources, Span s) {
    if (!s.valid()) return nullptr;
    return {{"file", sources.name(s.file, s.begin)},
            {"line", sources.line_col(s.file, s.begin).line},
            {"text", std::string(sources.text(s.file).substr(s.begin, s.end - s.begin))}};
}

}  // namespace

nlohmann::json to_json(const Trace& trace, const SourceManager& sources) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : trace.steps) {
        nlohmann::json rules = nlohmann::json::array();
        for (const auto& m : step.matches)
            rules.push_back({{"rule", source(sources, m.rule)},
                             {"position", m.position},
                             {"effects", m.effects},
                             {"verdict", m.verdict}});
        nlohmann::json s{{"hook", hook_name(step.hook)},
                         {"table", step.table},
                         {"chain", step.chain},
                         {"matches", rules},
                         {"end", step.end}};
        // The rule that decided how the packet left the chain, as the schema names it.
        if (!step.matches.empty() && !step.matches.back().verdict.empty()) s["rule"] = rules.back()["rule"];
        if (!step.unsimulated.empty()) s["unsimulated"] = step.unsimulated;
        steps.push_back(std::move(s));
    }
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : trace.events)
        events.push_back({{"before_step", e.before_step}, {"hook", hook_name(e.hook)}, {"text", e.text}});
    nlohmann::json out{{"packet", trace.description},
                       {"verdict", trace.accepted ? "accept" : "drop"},
                       {"end", trace.end},
                       {"flow", trace.final_flow},
                       {"ct_state", trace.ct_state},
                       {"steps", steps},
                       {"events", events},
                       {"unsimulated", trace.unsimulated}};
    if (trace.decided_by) {
        out["decided_by"] = source(sources, *trace.decided_by);
        if (trace.decided_comment) out["decided_by"]["comment"] = *trace.decided_comment;
    }
    if (trace.connection)
        out["connection"] = {{"original", trace.connection->original},
                             {"reply", trace.connection->reply},
                             {"in_table", trace.connection->in_table}};
    return out;
}

}  // namespace ipt2nft::sim
