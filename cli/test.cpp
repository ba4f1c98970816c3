// `ipt2nft test`: rules and a YAML test file; a line per case, a summary, optionally JUnit XML.
#include "driver/test.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/atomic_output.hpp"
#include "cli/colour.hpp"
#include "cli/commands.hpp"
#include "cli/input_options.hpp"

namespace ipt2nft::cli {

namespace {

struct TestOptions {
    InputOptions input;  // its files: the rules, then the test file
    std::string junit;
};

bool is_yaml(const std::string& f) {
    return f.ends_with(".yaml") || f.ends_with(".yml");
}

int run_test(TestOptions& options) {
    auto& files = options.input.files;
    auto tests = std::find_if(files.rbegin(), files.rend(), is_yaml);
    if (tests == files.rend()) {
        std::cerr << "ipt2nft: test needs a test file (.yaml or .yml) after the rules\n";
        return usage_error;
    }
    TestRequest request;
    std::string tests_name = *tests;
    files.erase(std::next(tests).base());
    set_input_options(options.input, request.input);
    if (!read_inputs(options.input, request.input)) return input_error;
    auto tests_file = read_side_file(tests_name);
    if (!tests_file) return input_error;
    request.tests = std::move(*tests_file);
    TestRun run = run_tests(std::move(request));
    const TranslateResult& result = run.translated;
    result.diags.render(result.sources, std::cerr, colour_for(STDERR_FILENO));
    if (!result.ok) return input_error;
    sim::print_results(run.cases, std::cout);
    if (!options.junit.empty()) {
        AtomicOutput junit(options.junit);
        if (junit.error().empty()) sim::write_junit(run.cases, tests_name, junit.stream());
        if (!junit.error().empty() || !junit.commit()) {
            std::cerr << fmt::format("ipt2nft: cannot write '{}': {}\n", options.junit, junit.error());
            return input_error;
        }
    }
    bool failed =
        std::any_of(run.cases.begin(), run.cases.end(), [](const sim::CaseOutcome& c) { return !c.failures.empty(); });
    return failed ? input_error : ok;
}

}  // namespace

void add_test(CLI::App& app, int& status) {
    auto options = std::make_shared<TestOptions>();
    CLI::App* command = add_ruleset_command(app, "test",
                                            "firewall unit tests: the cases of a YAML test file (packets and what "
                                            "is expected of them) run through the ruleset by the simulator; exit 1 "
                                            "when one fails",
                                            options->input);
    command->add_option("--junit", options->junit, "also write the results as JUnit XML to FILE")->type_name("FILE");
    command->final_callback([options, &status] { status = run_test(*options); });
}

}  // namespace ipt2nft::cli
