// ipt2nft test: YAML cases run through the simulator, expectations held, mistakes located.
#include "driver/test.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include "tests/translate_helper.hpp"

using ipt2nft::TestRequest;
using ipt2nft::TestRun;

namespace {

const char* const rules = R"(*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.5:80
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 22 -m comment --comment "ssh in" -j ACCEPT
-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT
-A FORWARD -i eth0 -o eth1 -p tcp --dport 80 -j ACCEPT
COMMIT
)";

const char* const host = R"(host:
  interfaces:
    eth0: 192.0.2.1/24
    eth1: [10.0.0.1/24]
  routes:
    default: eth0
)";

TestRun run(const std::string& tests) {
    TestRequest r;
    r.input.inputs.push_back({"fw.v4", rules});
    r.tests = {"t.yaml", tests};
    return ipt2nft::run_tests(std::move(r));
}

std::vector<std::string> failures(const TestRun& run) {
    std::vector<std::string> out;
    for (const auto& c : run.cases)
        for (const auto& f : c.failures) out.push_back(c.name + ": " + f);
    return out;
}

}  // namespace

TEST_CASE("cases pass when the ruleset does what they expect, by verdict, rule, flow, end, interface and state") {
    TestRun r = run(std::string(host) + R"(tests:
  - name: ssh
    packet: in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22
    expect: {verdict: accept, rule: "ssh in", end: delivered}
  - name: ssh by place
    packet: in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22
    expect: {rule: "fw.v4:10", ct_state: new}
  - name: telnet
    packet: in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:23
    expect: {verdict: drop, rule: policy}
  - name: web
    packets:
      - in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:8080
      - in eth1 tcp 10.0.0.5:80 > 203.0.113.9:5555 flags SA
    expect: {verdict: accept, flow: "tcp 192.0.2.1:8080 > 203.0.113.9:5555", end: forwarded, out: eth0, rule: 11}
)");
    REQUIRE_MESSAGE(r.translated.ok, ipt2nft::test::rendered(r.translated));
    CHECK(r.cases.size() == 4);
    CHECK(failures(r).empty());
}

TEST_CASE("a case that fails says what differs and keeps the trace; each case has its own conntrack") {
    TestRun r = run(std::string(host) + R"(tests:
  - name: reply without a request
    packet: in eth1 tcp 10.0.0.5:80 > 203.0.113.9:5555 flags SA
    expect: {verdict: accept, ct_state: established, rule: "ssh in"}
)");
    REQUIRE(r.translated.ok);
    CHECK(failures(r) ==
          std::vector<std::string>{"reply without a request: verdict is drop, expected accept",
                                   "reply without a request: decided by fw.v4:8, expected ssh in",
                                   "reply without a request: ct state is invalid, expected established"});
    CHECK(r.cases[0].place == "t.yaml:8");  // after the host's seven lines
    CHECK(r.cases[0].trace.find("policy drop") != std::string::npos);
    std::ostringstream junit;
    ipt2nft::sim::write_junit(r.cases, "t.yaml", junit);
    CHECK(junit.str().find("<testsuite name=\"t.yaml\" tests=\"1\" failures=\"1\" errors=\"0\">") != std::string::npos);
    CHECK(junit.str().find("&gt; 203.0.113.9:5555") != std::string::npos);
}

TEST_CASE("mistakes in a test file are errors at their line and column") {
    auto error = [](const std::string& yaml) {
        TestRun r = run(yaml);
        CHECK(!r.translated.ok);
        return ipt2nft::test::rendered(r.translated);
    };
    CHECK(error("tests:\n  - name: x\n    packet: in eth0 udp 1.1.1.1:1 > 2.2.2.2:2\n    expect: {verdit: drop}\n")
              .find("t.yaml:4:14: error: unknown key 'verdit' in expect") != std::string::npos);
    CHECK(
        error("tests:\n  - name: x\n    expect: {verdict: drop}\n").find("t.yaml:2:5: error: case 'x' has no packet") !=
        std::string::npos);
    CHECK(error("tests:\n  - packet: in eth0 udp 1.1.1.1 > 2.2.2.2:2\n    expect: {verdict: maybe}\n")
              .find("verdict is one of: accept, drop") != std::string::npos);
    CHECK(error("tests:\n  - packet: in eth0 udp 1.1.1.1 > 2.2.2.2:2\n    expect: {verdict: drop}\n")
              .find("case 'case 1': packet 1 ('in eth0 udp 1.1.1.1 > 2.2.2.2:2'), column 13: a port is needed") !=
          std::string::npos);
    CHECK(error("host:\n  interfaces:\n    eth0: 300.1.1.1/24\ntests: []\n").find("interface '300.1.1.1/24'") !=
          std::string::npos);
    CHECK(error("tests: [\n").find("t.yaml:2:1: error:") != std::string::npos);
}
