// The simulator: packets through the ruleset's hooks in the kernel's order, one conntrack table
// and the stateful expressions' state across the packets of a run.
#pragma once
#include <string>

#include "sim/compiled_ruleset.hpp"
#include "sim/conntrack.hpp"
#include "sim/hook_callees.hpp"
#include "sim/host.hpp"
#include "sim/interpreter.hpp"
#include "sim/trace.hpp"

namespace ipt2nft::sim {

class Simulator {
public:
    Simulator(const CompiledRuleset& rules, Host host)
        : rules_(rules), callees_(hook_callees(rules)), host_(std::move(host)) {}

    // One packet: received on spec.in_interface, or sent by the host when it has none.
    Trace run(const PacketSpec& spec, std::string description);
    // The same walk without recording a trace: whether the packet was accepted.
    bool verdict(const PacketSpec& spec);
    const Host& host() const { return host_; }

private:
    Trace walk(const PacketSpec& spec, std::string description, bool record);

    const CompiledRuleset& rules_;
    HookCallees callees_;
    Host host_;
    ConntrackTable conntrack_;
    ExpressionState state_;
    friend struct Walk;
};

}  // namespace ipt2nft::sim
