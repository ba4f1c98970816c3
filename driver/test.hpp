// The test pipeline: the ruleset sim runs, each case of a YAML test file through a fresh
// simulator, its expectations checked.
#pragma once
#include <vector>

#include "driver/translate.hpp"
#include "sim/test_report.hpp"

namespace ipt2nft {

struct TestRequest {
    TranslateRequest input;  // the rules
    TranslateInput tests;    // the YAML test file
};

struct TestRun {
    TranslateResult translated;  // ok: every case ran (passed or not)
    std::vector<sim::CaseOutcome> cases;
    bool usage_error = false;  // the test file, a host or a packet in it is wrong (said in diags)
};

TestRun run_tests(TestRequest request);

}  // namespace ipt2nft
