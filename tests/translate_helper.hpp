// Test helper: run the translate pipeline on a text and return the script or the diagnostics.
#pragma once
#include <string>

#include "driver/translate.hpp"

namespace ipt2nft::test {

struct Outcome {
    bool ok;
    std::string script;
    std::string diagnostics;
};

inline Outcome run(const std::string& text, bool counters = true) {
    TranslateRequest r;
    r.inputs.push_back({"t.v4", text});
    r.script.counters = counters;
    auto result = translate(r);
    std::string diags;
    for (const auto& d : result.diags.all()) diags += render_one(result.sources, d);
    return {result.ok, result.script, diags};
}

// The body of the one rule a single command translates to.
inline std::string rule(const std::string& command) {
    nft::ScriptOptions options;
    auto result = translate_command(command, std::nullopt, options);
    if (!result.ok) {
        std::string diags;
        for (const auto& d : result.diags.all()) diags += render_one(result.sources, d);
        return "ERROR " + diags;
    }
    return result.script.substr(0, result.script.size() - 1);
}

}  // namespace ipt2nft::test
