// Firewall unit tests as YAML: the host, and cases of packets with what is expected of them.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ir/diagnostics.hpp"
#include "ir/source_manager.hpp"

namespace ipt2nft::sim {

// The host as --iface and --route would give it: `eth0=192.0.2.1/24`, `default=eth0`.
struct HostSpec {
    std::vector<std::string> interfaces, routes;
};

struct Expectation {
    std::optional<std::string> verdict;   // accept or drop
    std::optional<std::string> rule;      // FILE:LINE, LINE or the rule's comment
    std::optional<std::string> flow;      // the packet after NAT: `tcp 192.0.2.1:8080 > ...`
    std::optional<std::string> end;       // delivered, forwarded, sent or dropped
    std::optional<std::string> out;       // the interface it leaves by
    std::optional<std::string> ct_state;  // new, established, related, invalid, untracked
};

struct TestCase {
    std::string name;
    std::vector<std::string> packets;  // one flow, in order; the expectation is of the last
    Expectation expect;
    Span span;  // the case in the YAML file
};

struct TestSuite {
    HostSpec host;
    std::vector<TestCase> cases;
};

// The host of a YAML mapping with `interfaces` (NAME: address or list) and `routes` (NET: IFACE),
// from the file `file` of `sources` (a host file for sim --host, or a test file's `host`).
std::optional<HostSpec> read_host_file(uint32_t file, const SourceManager& sources, Diagnostics& diags);

// A test file (docs/sim.md): every mistake an error at its line and column.
std::optional<TestSuite> read_test_suite(uint32_t file, const SourceManager& sources, Diagnostics& diags);

}  // namespace ipt2nft::sim
