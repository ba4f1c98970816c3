// The compiled ruleset file: every expression kind written and read back the same, places kept.
#include "sim/compiled_file.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <set>
#include <sstream>

#include "backends/vm/print_netlink.hpp"
#include "sim/program_json.hpp"
#include "tests/translate_helper.hpp"

namespace {

using namespace ipt2nft;

// Rules whose programs hold every kind of expression the lowering makes.
const char* every_kind_v4 = R"(*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp --dport 53 -j NOTRACK
-A PREROUTING -p tcp --dport 21 -j CT --helper ftp
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -j MARK --set-xmark 0x1/0xff
-A PREROUTING -j CONNMARK --save-mark
-A PREROUTING -j CONNMARK --save-mark --left-shift-mark 8
-A PREROUTING -m addrtype --dst-type LOCAL -j ACCEPT
-A PREROUTING -m time --timestart 01:00 --timestop 02:00 -j ACCEPT
-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
-A OUTPUT -m statistic --mode nth --every 3 --packet 0 -j MARK --set-mark 2
-A POSTROUTING -j DSCP --set-dscp 10
-A PREROUTING -p tcp -j TPROXY --on-port 3128 --tproxy-mark 0x1/0x1
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080
-A PREROUTING -p tcp --dport 81 -j REDIRECT --to-ports 8081
-A POSTROUTING -o eth0 -j MASQUERADE
-A POSTROUTING -o eth1 -j SNAT --to-source 192.0.2.4-192.0.2.9
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:USER - [0:0]
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p tcp -m multiport --dports 22,80,1000:2000 -j USER
-A INPUT -m limit --limit 3/min -j LOG --log-prefix "in: "
-A INPUT -p udp -j TEE --gateway 10.0.0.9
-A INPUT -p tcp -m osf --genre Linux --ttl 1 -j DROP
-A INPUT -p tcp -j SYNPROXY --mss 1460 --timestamp
-A INPUT -m quota ! --quota 1000 -j DROP
-A INPUT -p tcp --dport 22 -m recent --update --seconds 60 --name SSH --mask 255.255.255.0 -j DROP
-A INPUT -p tcp --syn -m connlimit --connlimit-above 2 -j DROP
-A INPUT -j NFLOG --nflog-group 3
-A INPUT -p icmp -j REJECT --reject-with icmp-host-prohibited
-A INPUT -j NFQUEUE --queue-balance 1:3 --queue-bypass
-A FORWARD -p tcp --dport 1:1000 -j ACCEPT
-A FORWARD -p udp ! --dport 1:1000 -j DROP
-A FORWARD -s 10.0.0.0/8 -g USER
-A USER -m comment --comment "back" -j RETURN
COMMIT
)";

const char* every_kind_v6 = R"(*filter
:INPUT ACCEPT [0:0]
-A INPUT -m frag --fragid 5 -j DROP
-A INPUT -m rt --rt-type 2 -j DROP
COMMIT
)";

struct Compiled {
    TranslateResult result;
    sim::CompiledRuleset rules;
};

void compile_into(Compiled& c, const char* name, const char* text) {
    TranslateRequest request;
    request.inputs.push_back({name, text});
    REQUIRE_MESSAGE(kernel_ruleset(request, c.result), test::rendered(c.result));
    c.rules = sim::compile(c.result.ruleset);
}

// Every rule's program as nft --debug=netlink prints it, with its place, policy and comment.
std::string listing(const sim::CompiledRuleset& rules, const SourceManager& sources) {
    std::string out;
    auto place = [&](Span s) {
        return s.valid()
                   ? fmt::format("{}:{} '{}'", sources.name(s.file, s.begin), sources.line_col(s.file, s.begin).line,
                                 sources.text(s.file).substr(s.begin, s.end - s.begin))
                   : std::string("-");
    };
    for (const auto& t : rules.tables)
        for (const auto& c : t.chains) {
            out += fmt::format("chain {} {} base {} policy {} at {} declared {}\n", t.name, c.name, c.base != nullptr,
                               c.policy ? static_cast<int>(*c.policy) : -1, place(c.policy_span), place(c.declared));
            for (const auto& r : c.rules) {
                out += fmt::format("rule at {} comment {}\n", place(r.span), r.comment.value_or("-"));
                vm::print_program(r.program, family_name(t.family), t.name, c.name, out);
            }
        }
    return out;
}

void round_trip(const char* name, const char* text, std::set<size_t>& kinds) {
    Compiled c;
    compile_into(c, name, text);
    std::ostringstream file;
    sim::write_compiled_file(c.rules, c.result.sources, file);
    uint32_t id = c.result.sources.add("rules.sim", file.str());
    auto read = sim::read_compiled_file(id, c.result.sources, c.result.diags);
    REQUIRE_MESSAGE(read, test::rendered(c.result));
    CHECK(listing(*read, c.result.sources) == listing(c.rules, c.result.sources));
    CHECK(read->conntrack_rules == c.rules.conntrack_rules);
    for (const auto& t : c.rules.tables)
        for (const auto& ch : t.chains)
            for (const auto& r : ch.rules)
                for (const auto& e : r.program.expressions) kinds.insert(e.index());
}

}  // namespace

TEST_CASE("compiled file: every expression kind, place, policy and comment read back as written") {
    std::set<size_t> kinds;
    round_trip("every.v4", every_kind_v4, kinds);
    round_trip("every.v6", every_kind_v6, kinds);
    // All but the counter, which the simulator's programs leave out (it counts nothing).
    for (size_t i = 0; i < std::variant_size_v<vm::Expression>; ++i)
        CHECK_MESSAGE((kinds.count(i) || i == vm::Expression(vm::Counter{}).index()), "kind " << i << " not exercised");
    vm::Program counted{{vm::Counter{3, 400}}, {}, {}};
    TextStore names;
    vm::Program read = sim::read_program(sim::program_json(counted), names);
    std::string a, b;
    vm::print_program(counted, "ip", "filter", "INPUT", a);
    vm::print_program(read, "ip", "filter", "INPUT", b);
    CHECK(a == b);
    CHECK(a.find("counter pkts 3 bytes 400") != std::string::npos);
}

TEST_CASE("compiled file: recognised by its first member, not by its name") {
    CHECK(sim::is_compiled_file("{\"format\":\"ipt2nft-sim\",\"version\":1}"));
    CHECK(sim::is_compiled_file("\n  { \"format\": 1 }"));
    CHECK_FALSE(sim::is_compiled_file("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n"));
    CHECK_FALSE(sim::is_compiled_file("{ iptables -A INPUT -j ACCEPT; }\n"));
    CHECK_FALSE(sim::is_compiled_file(""));
}
