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

inline Outcome run(TranslateRequest r) {
    std::ostringstream out;
    auto result = translate(std::move(r), out);
    std::string diags;
    for (const auto& d : result.diags.all()) diags += render_one(result.sources, d);
    return {result.ok, out.str(), diags};
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

// The body of the one rule a single command translates to.
inline std::string rule(const std::string& command) {
    nft::ScriptOptions options;
    std::ostringstream out;
    auto result = translate_command(command, std::nullopt, options, TranslateRequest::Format::nft, out);
    if (!result.ok) {
        std::string diags;
        for (const auto& d : result.diags.all()) diags += render_one(result.sources, d);
        return "ERROR " + diags;
    }
    std::string script = out.str();
    return script.substr(0, script.size() - 1);
}

// The IR of the rules one command makes (`--format=ir -c`): each rule from a `rule` line without
// its location, then its lines unindented; or "ERROR " and the diagnostics.
inline std::string rule_ir(const std::string& command) {
    std::ostringstream out;
    auto result = translate_command(command, std::nullopt, {}, TranslateRequest::Format::ir, out);
    if (!result.ok) {
        std::string diags;
        for (const auto& d : result.diags.all()) diags += render_one(result.sources, d);
        return "ERROR " + diags;
    }
    std::string rules;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("    rule ")) {
            size_t location_end = line.find(' ', 9);
            rules += "rule" + (location_end == std::string::npos ? "" : line.substr(location_end)) + "\n";
        } else if (line.starts_with("      ")) {
            rules += line.substr(6) + "\n";
        }
    }
    if (!rules.empty()) rules.pop_back();
    return rules;
}

// The rules the IR holds in `chain` after `text` (the first such chain), each on one line: what
// its `rule` line says besides the location (counters, comment), then its conditions and
// statements, joined by "; ".
inline std::vector<std::string> chain_rules(const std::string& text, const std::string& chain) {
    TranslateRequest r;
    r.inputs.push_back({"t.v4", text});
    r.format = TranslateRequest::Format::ir;
    std::ostringstream out;
    auto result = translate(std::move(r), out);
    std::vector<std::string> rules;
    bool inside = false;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("  chain ")) {
            if (inside) break;
            inside = line.substr(8, line.find(' ', 8) - 8) == chain;
        } else if (inside && line.starts_with("    rule ")) {
            size_t location_end = line.find(' ', 9);
            rules.push_back(location_end == std::string::npos ? "" : line.substr(location_end + 1));
        } else if (inside && line.starts_with("      ")) {
            rules.back() += (rules.back().empty() ? "" : "; ") + line.substr(6);
        }
    }
    return rules;
}

// Checks that `text` holds each of `parts`, naming any that is missing.
inline void check_holds_all(const std::string& text, std::initializer_list<const char*> parts) {
    for (const char* part : parts) CHECK_MESSAGE(text.find(part) != std::string::npos, part);
}

}  // namespace ipt2nft::test
