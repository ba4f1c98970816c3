// The three forms of lint's report, built from the same findings.
#include "driver/lint_report.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "analysis/lint_checks.hpp"

namespace ipt2nft {

namespace {

const char* severity_word(Severity s) {
    return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

struct Place {
    std::string file;
    uint32_t line = 0, column = 0;
};

Place place_of(const SourceManager& sources, Span span) {
    if (!span.valid()) return {};
    auto at = sources.line_col(span.file, span.begin);
    return {std::string(sources.name(span.file, span.begin)), at.line, at.col};
}

// A path as SARIF consumers want it: relative to where the tool ran, with forward slashes.
std::string relative_uri(const std::string& path) {
    std::error_code ec;
    auto relative = std::filesystem::proximate(path, ec);
    return ec ? path : relative.generic_string();
}

nlohmann::json sarif_location(const SourceManager& sources, Span span) {
    Place p = place_of(sources, span);
    return {{"physicalLocation",
             {{"artifactLocation", {{"uri", relative_uri(p.file)}}},
              {"region", {{"startLine", p.line}, {"startColumn", p.column}}}}}};
}

nlohmann::json sarif_rule(std::string_view code) {
    nlohmann::json rule{{"id", code}};
    if (const auto* check = analysis::find_lint_check(code)) {
        rule["shortDescription"] = {{"text", check->summary}};
        rule["help"] = {{"text", check->help}};
        rule["defaultConfiguration"] = {{"level", severity_word(check->severity)}};
    }
    return rule;
}

}  // namespace

void write_lint_text(const LintResult& result, std::ostream& out, bool colour) {
    size_t counts[3] = {};
    for (const auto& d : result.findings) {
        out << render_one(result.translated.sources, d, colour);
        ++counts[static_cast<size_t>(d.severity)];
    }
    if (result.findings.empty()) return void(out << "ipt2nft lint: no findings\n");
    out << fmt::format("ipt2nft lint: {} warning{}, {} note{}\n", counts[1], counts[1] == 1 ? "" : "s", counts[0],
                       counts[0] == 1 ? "" : "s");
}

nlohmann::json lint_json(const LintResult& result) {
    const auto& sources = result.translated.sources;
    nlohmann::json all = nlohmann::json::array();
    for (const auto& d : result.findings) {
        Place p = place_of(sources, d.span);
        nlohmann::json related = nlohmann::json::array();
        for (const auto& n : d.notes) {
            Place q = place_of(sources, n.span);
            related.push_back({{"message", n.message}, {"file", q.file}, {"line", q.line}, {"column", q.column}});
        }
        all.push_back({{"code", d.code},
                       {"severity", severity_word(d.severity)},
                       {"message", d.message},
                       {"file", p.file},
                       {"line", p.line},
                       {"column", p.column},
                       {"related", related}});
    }
    return all;
}

nlohmann::json lint_sarif(const LintResult& result, std::string_view version) {
    const auto& sources = result.translated.sources;
    nlohmann::json rules = nlohmann::json::array();
    std::map<std::string, size_t> rule_index;
    for (const auto& check : analysis::lint_checks()) {
        rule_index.emplace(std::string(check.code), rules.size());
        rules.push_back(sarif_rule(check.code));
    }
    nlohmann::json results = nlohmann::json::array();
    for (const auto& d : result.findings) {
        auto [it, added] = rule_index.try_emplace(d.code, rules.size());
        if (added) rules.push_back(sarif_rule(d.code));
        nlohmann::json r{{"ruleId", d.code},
                         {"ruleIndex", it->second},
                         {"level", severity_word(d.severity)},
                         {"message", {{"text", d.message}}}};
        if (d.span.valid()) r["locations"] = nlohmann::json::array({sarif_location(sources, d.span)});
        nlohmann::json related = nlohmann::json::array();
        for (const auto& n : d.notes) {
            if (!n.span.valid()) continue;
            nlohmann::json location = sarif_location(sources, n.span);
            location["id"] = related.size();
            location["message"] = {{"text", n.message}};
            related.push_back(std::move(location));
        }
        if (!related.empty()) r["relatedLocations"] = std::move(related);
        results.push_back(std::move(r));
    }
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", nlohmann::json::array(
                         {{{"tool", {{"driver", {{"name", "ipt2nft"}, {"version", version}, {"rules", rules}}}}},
                           {"results", results}}})}};
}

}  // namespace ipt2nft
