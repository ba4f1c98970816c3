// The simulator end to end: rules and packets in, each packet's chains, rules, NAT and verdict out.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "driver/sim.hpp"
#include "tests/translate_helper.hpp"

using ipt2nft::SimRequest;
using nlohmann::json;

namespace {

struct Host {
    std::vector<std::string> interfaces, routes;
};

const Host router{{"eth0=192.0.2.1/24", "eth1=10.0.0.1/24"}, {"default=eth0"}};

// The traces of `packets` through `rules` as JSON; the diagnostics fail the test.
json sim(const std::string& rules, std::vector<std::string> packets, const Host& host = router,
         ipt2nft::Family family = ipt2nft::Family::ipv4) {
    SimRequest r;
    r.input.inputs.push_back({"t.v4", rules});
    r.input.family = family;
    r.packets = std::move(packets);
    r.interfaces = host.interfaces;
    r.routes = host.routes;
    r.format = SimRequest::Format::json;
    std::ostringstream out;
    auto result = ipt2nft::simulate(std::move(r), out);
    REQUIRE_MESSAGE(result.translated.ok, ipt2nft::test::rendered(result.translated));
    return json::parse(out.str());
}

// `table CHAIN` of every step, in order.
std::vector<std::string> chains(const json& trace) {
    std::vector<std::string> out;
    for (const auto& s : trace["steps"])
        out.push_back(s["table"].get<std::string>() + " " + s["chain"].get<std::string>());
    return out;
}

std::vector<std::string> verdicts(const json& traces) {
    std::vector<std::string> out;
    for (const auto& t : traces) out.push_back(t["verdict"]);
    return out;
}

int decided_line(const json& trace) {
    const json& last = trace["steps"].back();
    return last.contains("rule") ? last["rule"]["line"].get<int>() : 0;
}

const char* const filter_ssh = R"(*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:SSH - [0:0]
:LATE - [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m multiport --dports 22,2222 -j SSH
-A INPUT -p icmp --icmp-type echo-request -m limit --limit 1/second --limit-burst 2 -j ACCEPT
-A SSH -s 198.51.100.0/24 -j ACCEPT
-A SSH -m iprange --src-range 203.0.113.10-203.0.113.20 -g LATE
-A SSH -p tcp -j REJECT --reject-with tcp-reset
-A LATE -m mark --mark 0x5 -j ACCEPT
COMMIT
)";

}  // namespace

TEST_CASE("a user chain is entered by jump and left by its verdict, a return or its end") {
    json t = sim(filter_ssh,
                 {"in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:2222", "in eth0 tcp 203.0.113.9:40000 > 192.0.2.1:22",
                  "in eth0 tcp 203.0.113.15:40000 > 192.0.2.1:22"});
    CHECK(t[0]["verdict"] == "accept");
    CHECK(chains(t[0]) == std::vector<std::string>{"filter INPUT", "filter SSH"});
    CHECK(decided_line(t[0]) == 10);
    // Rejected: a drop, with the reset said.
    CHECK(t[1]["verdict"] == "drop");
    CHECK(decided_line(t[1]) == 12);
    CHECK(t[1]["steps"][1]["matches"][0]["effects"][0].get<std::string>().find("TCP reset") != std::string::npos);
    // A goto's chain ends where its caller's caller goes on: INPUT's policy, not SSH's next rule.
    CHECK(chains(t[2]) == std::vector<std::string>{"filter INPUT", "filter SSH", "filter LATE", "filter INPUT"});
    CHECK(t[2]["verdict"] == "drop");
    CHECK(t[2]["end"] == "dropped in input");
    CHECK(t[2]["decided_by"]["line"] == 2);
}

TEST_CASE("conntrack: a reply is established, a reply without its request invalid") {
    json t = sim(filter_ssh,
                 {"in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22", "tcp 192.0.2.1:22 > 198.51.100.7:40000 flags SA",
                  "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags A",
                  "in eth0 tcp 198.51.100.8:40000 > 192.0.2.1:22 flags SA"});
    CHECK(t[0]["ct_state"] == "new");
    CHECK(t[1]["ct_state"] == "established");
    CHECK(t[2]["ct_state"] == "established");
    CHECK(decided_line(t[2]) == 7);
    CHECK(t[3]["ct_state"] == "invalid");
    // A reset before any reply removes the connection: the next packet starts another.
    json r = sim(filter_ssh, {"in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22",
                              "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags R",
                              "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags A"});
    CHECK(r[1]["ct_state"] == "new");
    CHECK(r[2]["ct_state"] == "new");
    CHECK(r[2]["events"][0]["text"] == "conntrack: new (original direction)");
    // A SYN+ACK the way the connection began is invalid (tcp_conntracks), and changes nothing.
    json s = sim(filter_ssh, {"in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags A",
                              "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags SA",
                              "in eth0 tcp 198.51.100.7:40000 > 192.0.2.1:22 flags A"});
    CHECK(s[1]["ct_state"] == "invalid");
    CHECK(s[2]["ct_state"] == "new");  // picked up by the first ACK, still unanswered
}

TEST_CASE("a rate limit lets its burst through, then one packet per period") {
    json t = sim(filter_ssh,
                 {"in eth0 icmp 203.0.113.9 > 192.0.2.1 id 1", "in eth0 icmp 203.0.113.9 > 192.0.2.1 id 2",
                  "in eth0 icmp 203.0.113.9 > 192.0.2.1 id 3", "in eth0 icmp 203.0.113.9 > 192.0.2.1 id 4 at 1000",
                  "in eth0 icmp 203.0.113.9 > 192.0.2.1 id 5 at 1000"});
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "accept", "drop", "accept", "drop"});
}

TEST_CASE("a quota matches until its packets' bytes pass it, and never again once one did not fit") {
    const char* rules = R"(*filter
:INPUT ACCEPT [0:0]
-A INPUT -m quota --quota 256 -j ACCEPT
-A INPUT -j DROP
COMMIT
)";
    // 128 bytes (100 of payload), 128 (256 in all: within), 29 (past it), 29 again: still past.
    json t = sim(
        rules,
        {"in eth0 udp 203.0.113.9:1000 > 192.0.2.1:53 len 100", "in eth0 udp 203.0.113.9:1000 > 192.0.2.1:53 len 100",
         "in eth0 udp 203.0.113.9:1000 > 192.0.2.1:53 len 1", "in eth0 udp 203.0.113.9:1000 > 192.0.2.1:53 len 1"});
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "accept", "drop", "drop"});
}

TEST_CASE("rpfilter: the route back to the source leaves by the input interface (strict) or at all (loose)") {
    const char* rules = R"(*raw
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p udp --dport 1 -m rpfilter --invert -j DROP
-A PREROUTING -p udp --dport 2 -m rpfilter --loose --invert -j DROP
COMMIT
)";
    // 10.0.0.0/24 is routed back by eth1, anything else by eth0 (the default route); the host's
    // own address routes back to itself, which is no interface.
    json t = sim(rules, {"in eth0 udp 203.0.113.9:1000 > 192.0.2.1:1", "in eth0 udp 10.0.0.7:1000 > 192.0.2.1:1",
                         "in eth0 udp 10.0.0.7:1000 > 192.0.2.1:2", "in eth0 udp 192.0.2.1:1000 > 192.0.2.1:2",
                         "in eth0 udp 0.0.0.0:68 > 255.255.255.255:1", "in lo udp 10.0.0.7:1000 > 127.0.0.1:1"});
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "drop", "accept", "drop", "drop", "accept"});
    CHECK(decided_line(t[4]) == 0);  // DHCP's discover passes the test; routing drops it as a martian
}

TEST_CASE("TEE sends a copy to its gateway, and the packet itself goes on") {
    const char* rules = R"(*mangle
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p udp -j TEE --gateway 10.0.0.9
COMMIT
*filter
:INPUT DROP [0:0]
-A INPUT -p udp --dport 53 -j ACCEPT
COMMIT
)";
    json t = sim(rules, {"in eth0 udp 203.0.113.9:1000 > 192.0.2.1:53", "in eth0 udp 203.0.113.9:1000 > 192.0.2.1:54"});
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "drop"});
    CHECK(t[0]["steps"][0]["matches"][0]["effects"][0] == "a copy sent to 10.0.0.9");
}

TEST_CASE("a recent list: an address is in it from its --set until --seconds after its last refresh") {
    const char* rules = R"(*filter
:INPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 22 -m recent --update --seconds 60 --name SSH -j DROP
-A INPUT -p tcp --dport 22 -m recent --set --name SSH
COMMIT
)";
    // The second packet finds the first's address and refreshes it; 70 s after the second it
    // has expired, 50 s after the third (at 130) it has not.
    json t = sim(rules, {"in eth0 tcp 203.0.113.9:1000 > 192.0.2.1:22 flags S",
                         "in eth0 tcp 203.0.113.9:1001 > 192.0.2.1:22 flags S at 10000",
                         "in eth0 tcp 203.0.113.9:1002 > 192.0.2.1:22 flags S at 80000",
                         "in eth0 tcp 203.0.113.9:1003 > 192.0.2.1:22 flags S at 130000",
                         "in eth0 tcp 198.51.100.1:1004 > 192.0.2.1:22 flags S at 131000"});
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "drop", "accept", "drop", "accept"});
}

TEST_CASE("hashlimit: a bucket per key, made full with its element, which expires after the last packet") {
    const char* rules = R"(*filter
:INPUT ACCEPT [0:0]
-A INPUT -p udp -m hashlimit --hashlimit-upto 1/hour --hashlimit-burst 2 --hashlimit-mode srcip,dstport --hashlimit-name dns --hashlimit-htable-expire 60000 -j ACCEPT
-A INPUT -p udp -j DROP
COMMIT
)";
    // Two by the first key's burst, the third not; another source or port has its own bucket; at
    // 59 s the first key has no token back yet (one an hour), and its element is refreshed; at
    // 200 s it has expired (60 s after its last packet), and a new one starts full: two more.
    json t = sim(rules, {"in eth0 udp 203.0.113.9:1000 > 192.0.2.1:53", "in eth0 udp 203.0.113.9:1001 > 192.0.2.1:53",
                         "in eth0 udp 203.0.113.9:1002 > 192.0.2.1:53", "in eth0 udp 203.0.113.8:1002 > 192.0.2.1:53",
                         "in eth0 udp 203.0.113.9:1002 > 192.0.2.1:54",
                         "in eth0 udp 203.0.113.9:1003 > 192.0.2.1:53 at 59000",
                         "in eth0 udp 203.0.113.9:1004 > 192.0.2.1:53 at 200000",
                         "in eth0 udp 203.0.113.9:1005 > 192.0.2.1:53 at 200000",
                         "in eth0 udp 203.0.113.9:1006 > 192.0.2.1:53 at 200000"});
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "accept", "drop", "accept", "accept", "drop", "accept",
                                                  "accept", "drop"});
}

TEST_CASE("ipsets: elements looked up by the key's fields, nomatch exceptions, SET adding and deleting, timeouts") {
    const char* rules = R"(ipset create svc hash:ip,port
ipset add svc 192.0.2.1,udp:53
ipset create n hash:net
ipset add n 203.0.113.0/24
ipset add n 203.0.113.128/25 nomatch
ipset create seen hash:ip timeout 60
ipset add seen 198.51.100.7
iptables -P INPUT DROP
iptables -A INPUT -p tcp --dport 24 -j SET --del-set seen src
iptables -A INPUT -m set --match-set seen src -j DROP
iptables -A INPUT -p tcp --dport 23 -j SET --add-set seen src
iptables -A INPUT -m set --match-set svc dst,dst -j ACCEPT
iptables -A INPUT -m set --match-set n src -j ACCEPT
iptables -A INPUT -p tcp -j ACCEPT
)";
    json t = sim(rules, {"in eth0 udp 203.0.113.200:1000 > 192.0.2.1:53",
                         "in eth0 udp 203.0.113.200:1000 > 192.0.2.1:54",
                         "in eth0 udp 203.0.113.9:1000 > 192.0.2.1:54",
                         "in eth0 tcp 198.51.100.7:1000 > 192.0.2.1:80",
                         "in eth0 tcp 198.51.100.7:1001 > 192.0.2.1:24",
                         "in eth0 tcp 198.51.100.7:1002 > 192.0.2.1:80",
                         "in eth0 tcp 203.0.113.200:1003 > 192.0.2.1:23",
                         "in eth0 tcp 203.0.113.200:1004 > 192.0.2.1:80",
                         "in eth0 tcp 203.0.113.200:1005 > 192.0.2.1:80 at 70000"});
    CHECK(verdicts(t) ==
          std::vector<std::string>{"accept", "drop", "accept", "drop", "accept", "accept", "accept", "drop", "accept"});
    CHECK(t[4]["steps"][0]["matches"][0]["effects"][0] == "deleted from set seen");
}

TEST_CASE("DNAT on a connection's first packet, the binding on the next ones, reversed for replies") {
    const char* rules = R"(*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.5:80
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT
-A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.0.5 --dport 80 -j ACCEPT
-A FORWARD -i eth1 -o eth0 -j ACCEPT
COMMIT
)";
    json t = sim(
        rules, {"in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:8080", "in eth1 tcp 10.0.0.5:80 > 203.0.113.9:5555 flags SA",
                "in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:8080 flags A", "in eth1 udp 10.0.0.7:1234 > 8.8.8.8:53"});
    // The new destination is not the host's: the packet is forwarded, not delivered.
    CHECK(t[0]["end"] == "forwarded out eth1");
    CHECK(t[0]["flow"] == "tcp 203.0.113.9:5555 > 10.0.0.5:80");
    CHECK(chains(t[0]) == std::vector<std::string>{"nat PREROUTING", "filter FORWARD", "nat POSTROUTING"});
    // The reply: no nat chain runs, its source is the address the client asked for.
    CHECK(t[1]["flow"] == "tcp 192.0.2.1:8080 > 203.0.113.9:5555");
    CHECK(chains(t[1]) == std::vector<std::string>{"filter FORWARD"});
    CHECK(t[2]["flow"] == "tcp 203.0.113.9:5555 > 10.0.0.5:80");
    CHECK(t[2]["ct_state"] == "established");
    // Masquerade: the address of the interface the packet leaves by.
    CHECK(t[3]["flow"] == "udp 192.0.2.1:1234 > 8.8.8.8:53");
}

TEST_CASE("NETMAP keeps the host bits: the destination in PREROUTING, the source in POSTROUTING") {
    const char* rules = R"(*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -d 192.0.2.0/24 -j NETMAP --to 10.0.0.0/24
-A POSTROUTING -o eth0 -s 10.0.0.0/24 -j NETMAP --to 198.51.100.0/255.255.255.0
COMMIT
)";
    json t = sim(rules, {"in eth0 udp 203.0.113.9:5555 > 192.0.2.77:53", "in eth1 udp 10.0.0.42:1234 > 8.8.8.8:53"});
    CHECK(t[0]["flow"] == "udp 203.0.113.9:5555 > 10.0.0.77:53");
    CHECK(t[1]["flow"] == "udp 198.51.100.42:1234 > 8.8.8.8:53");
}

TEST_CASE("IPv6 neighbour discovery is untracked: an established,related rule does not let it through") {
    const char* rules = R"(*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT
COMMIT
)";
    json t =
        sim(rules,
            {"in eth0 icmpv6 fe80::1 > fe80::2 type nd-neighbor-solicit", "in eth0 icmpv6 2001:db8::9 > 2001:db8::1"},
            Host{{"eth0=2001:db8::1/64,fe80::2/64"}, {}}, ipt2nft::Family::ipv6);
    CHECK(t[0]["ct_state"] == "untracked");
    CHECK(t[0]["verdict"] == "drop");
    CHECK(t[1]["verdict"] == "accept");
}

TEST_CASE("the classic LOG experiment: every table's chains in the kernel's order") {
    std::string rules;
    for (const auto& [table, chain_names] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"raw", {"PREROUTING", "OUTPUT"}},
             {"mangle", {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}},
             {"nat", {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"}},
             {"filter", {"INPUT", "FORWARD", "OUTPUT"}},
             {"security", {"INPUT", "FORWARD", "OUTPUT"}}}) {
        rules += "*" + table + "\n";
        for (const auto& c : chain_names) rules += ":" + c + " ACCEPT [0:0]\n";
        // The state test loads conntrack, without which nat chains are never called.
        for (const auto& c : chain_names)
            rules += "-A " + c + " -m state --state NEW -j LOG --log-prefix \"" + table + " " + c + "\"\n";
        rules += "COMMIT\n";
    }
    json t = sim(rules, {"in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:22", "tcp 192.0.2.1:5555 > 203.0.113.9:22",
                         "in eth1 tcp 10.0.0.7:5555 > 203.0.113.9:22"});
    CHECK(chains(t[0]) == std::vector<std::string>{"raw PREROUTING", "mangle PREROUTING", "nat PREROUTING",
                                                   "mangle INPUT", "filter INPUT", "security INPUT", "nat INPUT"});
    CHECK(chains(t[1]) == std::vector<std::string>{"raw OUTPUT", "mangle OUTPUT", "nat OUTPUT", "filter OUTPUT",
                                                   "security OUTPUT", "mangle POSTROUTING", "nat POSTROUTING"});
    CHECK(chains(t[2]) == std::vector<std::string>{"raw PREROUTING", "mangle PREROUTING", "nat PREROUTING",
                                                   "mangle FORWARD", "filter FORWARD", "security FORWARD",
                                                   "mangle POSTROUTING", "nat POSTROUTING"});
    // A packet to the host itself goes out by loopback and comes in again (raw sees it again), its
    // nat already bound.
    json self = sim(rules, {"tcp 192.0.2.1:5555 > 192.0.2.1:22"});
    CHECK(chains(self[0]) == std::vector<std::string>{"raw OUTPUT", "mangle OUTPUT", "nat OUTPUT", "filter OUTPUT",
                                                      "security OUTPUT", "mangle POSTROUTING", "nat POSTROUTING",
                                                      "raw PREROUTING", "mangle PREROUTING", "mangle INPUT",
                                                      "filter INPUT", "security INPUT"});
    CHECK(self[0]["end"] == "delivered locally");
    // Without a rule that needs conntrack, the kernel does not track connections and no nat chain
    // is called.
    std::string stateless = rules;
    for (size_t at; (at = stateless.find("-m state --state NEW ")) != std::string::npos;) stateless.erase(at, 21);
    json plain = sim(stateless, {"in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:22"});
    CHECK(chains(plain[0]) == std::vector<std::string>{"raw PREROUTING", "mangle PREROUTING", "mangle INPUT",
                                                       "filter INPUT", "security INPUT"});
    CHECK(plain[0]["ct_state"] == "invalid");
}

TEST_CASE("marks set in mangle are seen by filter; notrack in raw leaves the packet untracked") {
    const char* rules = R"(*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp --dport 53 -j NOTRACK
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
-A PREROUTING -i eth1 -j MARK --set-mark 0x7
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m mark --mark 0x7 -m state --state NEW -j ACCEPT
-A INPUT -m state --state UNTRACKED -j ACCEPT
COMMIT
)";
    json t = sim(rules, {"in eth1 tcp 10.0.0.7:5555 > 203.0.113.9:22", "in eth0 tcp 203.0.113.9:5555 > 10.0.0.7:22",
                         "in eth0 udp 203.0.113.9:5555 > 192.0.2.1:53"});
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "drop", "accept"});
    CHECK(t[2]["ct_state"] == "untracked");
}

TEST_CASE("statistic nth: an incremental counter, the first packet 0") {
    const char* rules = R"(*filter
:INPUT ACCEPT [0:0]
-A INPUT -p udp -m statistic --mode nth --every 3 --packet 0 -j DROP
COMMIT
)";
    std::vector<std::string> packets;
    for (int i = 0; i < 6; ++i)
        packets.push_back("in eth0 udp 203.0.113.9:" + std::to_string(1000 + i) + " > 192.0.2.1:53");
    CHECK(verdicts(sim(rules, packets)) ==
          std::vector<std::string>{"drop", "accept", "accept", "drop", "accept", "accept"});
}

TEST_CASE("a keyed run of rules finds the same rules as the walk, in order, across jumps and returns") {
    // Twelve rules testing `ip daddr` first (a keyed run), two with the same address; a rule of
    // another shape after them; a jump from inside the run that returns into it.
    std::string rules = "*filter\n:INPUT DROP [0:0]\n:MARKS - [0:0]\n";
    for (int i = 1; i <= 12; ++i) {
        std::string target = i == 4 ? "-j MARKS" : i == 9 ? "-j LOG" : "-j ACCEPT";
        rules += "-A INPUT -d 10.0.0." + std::to_string(i % 10) + " -p tcp --dport " + std::to_string(1000 + i) + " " +
                 target + "\n";
    }
    rules += "-A INPUT -p tcp --dport 1009 -j ACCEPT\n-A MARKS -j RETURN\nCOMMIT\n";
    json t = sim(rules,
                 {"in eth0 tcp 203.0.113.9:5555 > 10.0.0.2:1002", "in eth0 tcp 203.0.113.9:5555 > 10.0.0.2:1012",
                  "in eth0 tcp 203.0.113.9:5555 > 10.0.0.4:1004", "in eth0 tcp 203.0.113.9:5555 > 10.0.0.9:1009",
                  "in eth0 tcp 203.0.113.9:5555 > 10.0.0.7:9999"},
                 Host{});  // assumed: every destination is the host's
    auto positions = [](const json& trace) {
        std::vector<int> out;
        for (const auto& s : trace["steps"])
            for (const auto& m : s["matches"]) out.push_back(m["position"]);
        return out;
    };
    CHECK(positions(t[0]) == std::vector<int>{1});
    CHECK(positions(t[1]) == std::vector<int>{11});  // 10.0.0.2 again, its other port
    // The jump's return goes on inside the run, past the rule it came from.
    CHECK(chains(t[2]) == std::vector<std::string>{"filter INPUT", "filter MARKS", "filter INPUT"});
    CHECK(positions(t[2]) == std::vector<int>{3, 0});
    CHECK(t[2]["verdict"] == "drop");
    // The LOG rule of the run matches and the walk goes on to the rule after the run.
    CHECK(positions(t[3]) == std::vector<int>{8, 12});
    CHECK(t[3]["verdict"] == "accept");
    CHECK(positions(t[4]).empty());
}

TEST_CASE("a keyed run's field may follow other tests, never a rate limit: a skipped rule changes nothing") {
    // Twenty rules testing the protocol, the address type, then the port: keyed by the port.
    // The eleventh takes a token before its port test, as the kernel evaluates it: every TCP
    // packet that reaches it spends one.
    std::string rules = "*filter\n:INPUT DROP [0:0]\n";
    for (int i = 0; i < 20; ++i)
        rules += i == 10 ? "-A INPUT -p tcp -m limit --limit 1/hour --limit-burst 1 -m tcp --dport 1010 -j LOG\n"
                         : "-A INPUT -p tcp -m addrtype --dst-type LOCAL -m tcp --dport " + std::to_string(1000 + i) +
                               " -j ACCEPT\n";
    rules += "COMMIT\n";
    auto positions = [](const json& trace) {
        std::vector<int> out;
        for (const auto& s : trace["steps"])
            for (const auto& m : s["matches"]) out.push_back(m["position"]);
        return out;
    };
    json alone = sim(rules, {"in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:1010"});
    CHECK(positions(alone[0]) == std::vector<int>{10});
    json t =
        sim(rules, {"in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:1003", "in eth0 tcp 203.0.113.9:5555 > 192.0.2.1:1015",
                    "in eth0 tcp 203.0.113.9:5556 > 192.0.2.1:1010"});
    CHECK(positions(t[0]) == std::vector<int>{3});
    CHECK(positions(t[1]) == std::vector<int>{15});
    // The first packet took the only token on its way past the limit's rule: none is left.
    CHECK(positions(t[2]).empty());
    CHECK(verdicts(t) == std::vector<std::string>{"accept", "accept", "drop"});
}
