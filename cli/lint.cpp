// `ipt2nft lint`: rules from files or stdin; findings on stdout as text, JSON or SARIF.
#include "driver/lint.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "analysis/lint_checks.hpp"
#include "cli/colour.hpp"
#include "cli/commands.hpp"
#include "cli/input_options.hpp"
#include "driver/lint_report.hpp"
#include "util/suggest.hpp"

namespace ipt2nft::cli {

namespace {

enum class Format { text, json, sarif };

struct LintOptions {
    InputOptions input;
    Format format = Format::text;
    std::vector<std::string> disabled;
    Severity fail_on = Severity::warning;
    std::vector<std::string> keep;
};

// "tcp/22" or "udp/53" into a service, or nothing.
std::optional<analysis::KeptService> kept_service(const std::string& text) {
    auto slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    std::string protocol = text.substr(0, slash), port = text.substr(slash + 1);
    if ((protocol != "tcp" && protocol != "udp") || port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
        return std::nullopt;
    return analysis::KeptService{static_cast<uint8_t>(protocol == "tcp" ? 6 : 17),
                                 static_cast<uint16_t>(std::stoul(port))};
}

// A --disable code that is none of lint's checks may be a typo, or a reader's warning (which it
// silences too): said, not refused.
void warn_unknown_codes(const std::vector<std::string>& codes) {
    std::vector<std::string_view> all;
    for (const auto& c : analysis::lint_checks()) all.push_back(c.code);
    for (const auto& code : codes)
        if (!analysis::find_lint_check(code))
            std::cerr << fmt::format(
                "ipt2nft: warning: --disable: '{}' is none of lint's checks; it silences only warnings of that "
                "code{}\n",
                code, did_you_mean(code, all));
}

int run_lint(LintOptions& options) {
    warn_unknown_codes(options.disabled);
    LintRequest request;
    for (const auto& k : options.keep) {
        auto service = kept_service(k);
        if (!service) {
            std::cerr << fmt::format("ipt2nft: --keep '{}': expected tcp/PORT or udp/PORT\n", k);
            return usage_error;
        }
        request.keep.push_back(*service);
    }
    set_input_options(options.input, request.input);
    if (!read_inputs(options.input, request.input)) return input_error;
    request.disabled = options.disabled;
    request.fail_on = options.fail_on;
    LintResult result = lint(std::move(request));
    if (!result.translated.ok) {
        result.translated.diags.render(result.translated.sources, std::cerr, colour_for(STDERR_FILENO));
        return input_error;
    }
    switch (options.format) {
        case Format::text: write_lint_text(result, std::cout, colour_for(STDOUT_FILENO)); break;
        case Format::json:
            std::cout << lint_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            break;
        case Format::sarif:
            std::cout
                << lint_sarif(result, IPT2NFT_VERSION).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
            break;
    }
    return result.failing ? input_error : ok;
}

}  // namespace

void add_lint(CLI::App& app, int& status) {
    auto options = std::make_shared<LintOptions>();
    CLI::App* command = add_ruleset_command(app, "lint",
                                            "find rules that never match or change nothing, unused chains and "
                                            "other mistakes, for CI (see docs/lint.md)",
                                            options->input);
    static const std::map<std::string, Format> formats{
        {"text", Format::text}, {"json", Format::json}, {"sarif", Format::sarif}};
    command->add_option("--format", options->format, "text, json or sarif (SARIF 2.1.0, for code scanning)")
        ->transform(CLI::CheckedTransformer(formats));
    command->add_option("--disable", options->disabled, "leave out these checks (repeatable)")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->type_name("CODE,...");
    command
        ->add_option("--keep", options->keep,
                     "a service INPUT must leave reachable, e.g. tcp/22 (repeatable; without it SSH is checked as a "
                     "note)")
        ->type_name("PROTO/PORT")
        ->allow_extra_args(false);
    static const std::map<std::string, Severity> levels{
        {"error", Severity::error}, {"warning", Severity::warning}, {"note", Severity::note}};
    command
        ->add_option("--fail-on", options->fail_on,
                     "exit 1 when a finding is at least this severe: error, warning (the default) or note")
        ->transform(CLI::CheckedTransformer(levels));
    command->final_callback([options, &status] { status = run_lint(*options); });
}

}  // namespace ipt2nft::cli
