// Test helper: run the translate pipeline on a text and return the script or the diagnostics.
#pragma once
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "driver/translate.hpp"

namespace ipt2nft::test {

struct Outcome {
    bool ok;
    std::string script;
    std::string diagnostics;
};

inline std::string rendered(const TranslateResult& result) {
    std::string diags;
    for (const auto& d : result.diags.all()) diags += render_one(result.sources, d);
    return diags;
}

inline Outcome run(TranslateRequest r) {
    std::ostringstream out;
    auto result = translate(std::move(r), out);
    return {result.ok, out.str(), rendered(result)};
}

inline Outcome run(const std::string& text, bool counters = true) {
    TranslateRequest r;
    r.inputs.push_back({"t.v4", text});
    r.script.counters = counters;
    return run(std::move(r));
}

// What --format=netlink or --format=ir writes for `text`, read as file `name`; the diagnostics
// fail the test case.
inline std::string written_as(TranslateRequest::Format format, const std::string& text,
                              const std::string& name = "t.v4") {
    TranslateRequest r;
    r.inputs.push_back({name, text});
    r.format = format;
    auto o = run(std::move(r));
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    return o.script;
}

// What one command makes, in `format`; "ERROR " and the diagnostics when it fails.
inline std::string command_as(TranslateRequest::Format format, const std::string& command) {
    std::ostringstream out;
    auto result = translate_command(command, std::nullopt, {}, format, out);
    return result.ok ? out.str() : "ERROR " + rendered(result);
}

// The body of the one rule a single command translates to.
inline std::string rule(const std::string& command) {
    std::string script = command_as(TranslateRequest::Format::nft, command);
    return script.starts_with("ERROR ") ? script : script.substr(0, script.size() - 1);
}

// The rules of IR text, those of `chain` alone when given (its first table's): for each, what its
// `rule` line says besides the location (counters, comment, ...), then its lines unindented.
struct IrRule {
    std::string said;
    std::vector<std::string> lines;
};
inline std::vector<IrRule> ir_rules(const std::string& ir, const std::string* chain = nullptr) {
    std::vector<IrRule> rules;
    bool inside = chain == nullptr;
    std::istringstream lines(ir);
    for (std::string line; std::getline(lines, line);) {
        if (chain && line.starts_with("  chain ")) {
            if (inside) break;
            inside = line.substr(8, line.find(' ', 8) - 8) == *chain;
        } else if (inside && line.starts_with("    rule ")) {
            size_t location_end = line.find(' ', 9);
            rules.push_back({location_end == std::string::npos ? "" : line.substr(location_end + 1), {}});
        } else if (inside && line.starts_with("      ")) {
            rules.back().lines.push_back(line.substr(6));
        }
    }
    return rules;
}

// The IR of the rules one command makes (`--format=ir -c`): each rule from a `rule` line without
// its location, then its lines; or "ERROR " and the diagnostics.
inline std::string rule_ir(const std::string& command) {
    std::string ir = command_as(TranslateRequest::Format::ir, command);
    if (ir.starts_with("ERROR ")) return ir;
    std::string text;
    for (const auto& r : ir_rules(ir)) {
        text += r.said.empty() ? "rule\n" : "rule " + r.said + "\n";
        for (const auto& line : r.lines) text += line + "\n";
    }
    if (!text.empty()) text.pop_back();
    return text;
}

// The rules the IR holds in `chain` after `text`, each on one line: what its `rule` line says
// besides the location, then its conditions and statements, joined by "; ".
inline std::vector<std::string> chain_rules(const std::string& text, const std::string& chain) {
    std::vector<std::string> rules;
    for (const auto& r : ir_rules(written_as(TranslateRequest::Format::ir, text), &chain)) {
        std::string one = r.said;
        for (const auto& line : r.lines) one += (one.empty() ? "" : "; ") + line;
        rules.push_back(one);
    }
    return rules;
}

// Checks that `text` holds each of `parts`, naming any that is missing.
inline void check_holds_all(const std::string& text, std::initializer_list<const char*> parts) {
    for (const char* part : parts) CHECK_MESSAGE(text.find(part) != std::string::npos, part);
}

}  // namespace ipt2nft::test
