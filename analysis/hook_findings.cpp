// Kinds of traffic written as small kernel programs (the tests a rule would make), made into
// packet sets like any rule, and set against what each filter base chain surely accepts or blocks.
#include "analysis/hook_findings.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <netinet/in.h>

#include <string_view>

#include "analysis/traffic.hpp"

namespace ipt2nft::analysis {

namespace {

class Checks {
public:
    Checks(const sim::CompiledTable& table, const TableFlow& flow, PacketSpace& space, std::vector<Diagnostic>& out)
        : table_(table), flow_(flow), space_(space), out_(out) {}

    bdd packets(std::vector<std::vector<vm::Expression>> parts) { return traffic(parts, table_.family, space_); }

    // The base chain of this table named `name`, when it has one.
    const sim::CompiledChain* chain(std::string_view name, size_t& at) const {
        auto it = table_.index.find(name);
        if (it == table_.index.end() || !table_.chains[it->second].base) return nullptr;
        at = it->second;
        return &table_.chains[at];
    }
    bdd blocked(size_t c) const {
        const auto& d = flow_.summaries[c].decided;
        return d[static_cast<size_t>(Decision::drop)] | d[static_cast<size_t>(Decision::reject)];
    }
    static bool within(const bdd& packets, const bdd& set) { return minus(packets, set) == bddfalse; }

    void say(Severity severity, const sim::CompiledChain& chain, std::string message, std::string code) {
        Span at = chain.policy_span.valid() ? chain.policy_span : chain.declared;
        out_.push_back(Diagnostic{severity, at, std::move(message), std::move(code), {}});
    }

    void lockout(const std::vector<KeptService>& keep) {
        size_t c = 0;
        const sim::CompiledChain* input = chain("INPUT", c);
        if (!input) return;
        std::vector<KeptService> services = keep.empty() ? std::vector<KeptService>{{IPPROTO_TCP, 22}} : keep;
        Severity severity = keep.empty() ? Severity::note : Severity::warning;
        bdd remote = !packets({interface(true, "lo")});
        for (const auto& s : services) {
            const char* name = s.protocol == IPPROTO_TCP ? "tcp" : "udp";
            bdd service = remote & packets({protocol(s.protocol), destination_port(s.port)});
            if (within(service & packets({ct_state(NF_CT_STATE_BIT(IP_CT_NEW))}), blocked(c)))
                say(severity, *input,
                    fmt::format("chain INPUT drops every new connection to {} port {}: applied over it, this ruleset "
                                "locks you out (lint --keep names the services to check)",
                                name, s.port),
                    "lockout");
            else if (within(service & packets({ct_state(NF_CT_STATE_BIT(IP_CT_ESTABLISHED))}), blocked(c)))
                say(severity, *input,
                    fmt::format("chain INPUT drops the established packets of {} port {}: the session this ruleset "
                                "is applied from is cut",
                                name, s.port),
                    "lockout");
        }
    }

    // Probed with the services hosts commonly run on the loopback: a resolver, a mail server,
    // databases. Some of them surely dropped is the finding.
    void loopback() {
        static constexpr KeptService local_services[] = {{IPPROTO_UDP, 53},   {IPPROTO_TCP, 53},   {IPPROTO_TCP, 25},
                                                         {IPPROTO_TCP, 3306}, {IPPROTO_TCP, 5432}, {IPPROTO_TCP, 6379}};
        for (bool input : {true, false}) {
            size_t c = 0;
            const sim::CompiledChain* ch = chain(input ? "INPUT" : "OUTPUT", c);
            if (!ch) continue;
            bdd local = packets({interface(input, "lo"), ct_state(NF_CT_STATE_BIT(IP_CT_NEW))});
            std::vector<std::string> cut;
            for (const auto& s : local_services)
                if (within(local & packets({protocol(s.protocol), destination_port(s.port)}), blocked(c)))
                    cut.push_back(fmt::format("{} port {}", s.protocol == IPPROTO_TCP ? "tcp" : "udp", s.port));
            if (!cut.empty())
                say(Severity::warning, *ch,
                    fmt::format("chain {} drops new connections over lo ({}): the host's own services on "
                                "127.0.0.1 or ::1 are cut off; accept -{} lo first",
                                ch->name, fmt::join(cut, ", "), input ? 'i' : 'o'),
                    "loopback-blocked");
        }
    }

    // A chain that surely accepts new packets of some flows and surely drops established ones of
    // some of those flows.
    void established() {
        for (std::string_view name : {"INPUT", "FORWARD", "OUTPUT"}) {
            size_t c = 0;
            const sim::CompiledChain* ch = chain(name, c);
            if (!ch) continue;
            bdd state = space_.field_variables({FieldSpace::Kind::ct, NFT_CT_STATE}, 0, 4);
            bdd accepted = flow_.summaries[c].decided[static_cast<size_t>(Decision::accept)] &
                           packets({ct_state(NF_CT_STATE_BIT(IP_CT_NEW))});
            if (accepted == bddfalse) continue;
            bdd later = bdd_exist(accepted, state) & packets({ct_state(NF_CT_STATE_BIT(IP_CT_ESTABLISHED))});
            if ((later & blocked(c)) != bddfalse)
                say(Severity::warning, *ch,
                    fmt::format("chain {} accepts new connections but drops established packets of the same flows: "
                                "those connections hang; accept -m conntrack --ctstate ESTABLISHED,RELATED first",
                                name),
                    "no-established");
        }
    }

    // Neighbour solicitations and advertisements, which conntrack leaves untracked.
    void neighbour_discovery() {
        if (table_.family != Family::ipv6) return;
        for (std::string_view name : {"INPUT", "OUTPUT"}) {
            size_t c = 0;
            const sim::CompiledChain* ch = chain(name, c);
            if (!ch) continue;
            // Neighbours are on the links, not on lo.
            bdd untracked =
                minus(packets({ct_state(NF_CT_STATE_UNTRACKED_BIT)}), packets({interface(name == "INPUT", "lo")}));
            std::vector<int> dropped;
            for (uint8_t type : {133, 134, 135, 136})
                if (within(untracked & packets({icmpv6_type(type)}), blocked(c))) dropped.push_back(type);
            if (!dropped.empty())
                say(Severity::warning, *ch,
                    fmt::format("chain {} drops ICMPv6 neighbour discovery (type {}): without it IPv6 cannot reach "
                                "its neighbours; accept -p icmpv6 --icmpv6-type 133 to 136 first",
                                name, fmt::join(dropped, ", ")),
                    "ipv6-nd-blocked");
        }
    }

private:
    const sim::CompiledTable& table_;
    const TableFlow& flow_;
    PacketSpace& space_;
    std::vector<Diagnostic>& out_;
};

}  // namespace

void hook_findings(const sim::CompiledTable& table, const TableFlow& flow, const std::vector<KeptService>& keep,
                   PacketSpace& space, std::vector<Diagnostic>& out) {
    if (table.name != "filter") return;
    Checks checks(table, flow, space, out);
    checks.lockout(keep);
    checks.loopback();
    checks.established();
    checks.neighbour_discovery();
}

}  // namespace ipt2nft::analysis
