// The test pipeline: the test file read, the rules built once, each case in a simulator of its own.
#include "driver/test.hpp"

#include <fmt/format.h>

#include <sstream>

#include "driver/sim_inputs.hpp"
#include "sim/compiled_ruleset.hpp"
#include "sim/expectations.hpp"
#include "sim/simulator.hpp"
#include "sim/trace_output.hpp"

namespace ipt2nft {

namespace {

// Each case's packets, parsed before anything runs: a wrong one is an error at its case.
bool parse_cases(const sim::TestSuite& suite, std::vector<std::vector<sim::PacketSpec>>& packets, Diagnostics& diags) {
    for (const auto& c : suite.cases)
        if (!parse_packets(c.packets, packets.emplace_back(), diags, fmt::format("case '{}': packet", c.name), c.span))
            return false;
    return true;
}

sim::CaseOutcome run_case(const sim::TestCase& c, const std::vector<sim::PacketSpec>& packets,
                          const sim::CompiledRuleset& compiled, const sim::Host& host, const SourceManager& sources) {
    // A case is one flow: a conntrack table and stateful expressions of its own.
    sim::Simulator simulator(compiled, host);
    sim::Trace last;
    for (size_t i = 0; i < packets.size(); ++i) last = simulator.run(packets[i], c.packets[i]);
    sim::CaseOutcome outcome{
        c.name,
        fmt::format("{}:{}", sources.name(c.span.file, c.span.begin), sources.line_col(c.span.file, c.span.begin).line),
        sim::unmet(c.expect, last, sources),
        {}};
    if (!outcome.failures.empty()) {
        std::ostringstream trace;
        sim::print_text(last, packets.size(), sources, trace);
        outcome.trace = trace.str();
    }
    return outcome;
}

}  // namespace

TestRun run_tests(TestRequest request) {
    TestRun run;
    TranslateResult& translated = run.translated;
    uint32_t file = translated.sources.add(request.tests.name, std::move(request.tests.text));
    auto suite = sim::read_test_suite(file, translated.sources, translated.diags);
    sim::Host host;
    std::vector<std::vector<sim::PacketSpec>> packets;
    if (!suite || !build_host(suite->host, host, translated.diags, Span{file, 0, 0}) ||
        !parse_cases(*suite, packets, translated.diags)) {
        run.usage_error = true;
        return run;
    }
    std::optional<sim::CompiledRuleset> compiled = simulated_rules(request.input, translated);
    if (!compiled) return run;
    if (host.assumed())
        translated.diags.note(Span{file, 0, 0},
                              "the test file gives no host: it is assumed to own the destination of every packet it "
                              "receives, and to send by eth0",
                              "assumed-host");
    for (size_t i = 0; i < suite->cases.size(); ++i)
        run.cases.push_back(run_case(suite->cases[i], packets[i], *compiled, host, translated.sources));
    translated.ok = true;
    return run;
}

}  // namespace ipt2nft
