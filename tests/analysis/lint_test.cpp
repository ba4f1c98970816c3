// lint's findings on small rulesets: each check's golden case, and the near misses it must leave.
#include "driver/lint.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace ipt2nft {
namespace {

struct Found {
    std::string code;
    uint32_t line;
    std::vector<uint32_t> related;
};

bool about_rules(const std::string& code) {
    return code == "shadowed-rule" || code == "redundant-rule" || code == "unreachable-rule" || code == "unused-chain";
}

// The findings about rules and chains in `text`.
std::vector<Found> lint_text(const std::string& text) {
    LintRequest request;
    request.input.inputs.push_back({"rules.v4", text});
    LintResult result = lint(std::move(request));
    REQUIRE(result.translated.ok);
    std::vector<Found> out;
    for (const auto& d : result.findings) {
        if (!about_rules(d.code)) continue;
        auto at = result.translated.sources.line_col(d.span.file, d.span.begin);
        Found f{d.code, at.line, {}};
        for (const auto& n : d.notes)
            f.related.push_back(result.translated.sources.line_col(n.span.file, n.span.begin).line);
        out.push_back(f);
    }
    return out;
}

std::string filter(const std::string& rules, const std::string& chains = "") {
    return "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n" + chains + rules + "COMMIT\n";
}

}  // namespace

TEST_CASE("lint: a rule behind a broader one with another verdict is shadowed, and the broader one is named") {
    auto found = lint_text(filter("-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -s 10.1.2.3/32 -j DROP\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "shadowed-rule");
    CHECK(found[0].line == 6);
    CHECK(found[0].related == std::vector<uint32_t>{5});
}

TEST_CASE("lint: an earlier rule that only overlaps shadows nothing") {
    CHECK(lint_text(filter("-A OUTPUT -d 10.0.0.0/8 -p tcp -j ACCEPT\n-A OUTPUT -d 10.1.2.3/32 -j DROP\n")).empty());
}

TEST_CASE("lint: an ipset no rule changes is its elements; one SET changes, or whose elements expire, is unknown") {
    const std::string sets = "ipset create a hash:net\nipset add a 10.0.0.0/8\n";
    auto found = lint_text(sets +
                           "iptables -A INPUT -m set --match-set a src -j ACCEPT\n"
                           "iptables -A INPUT -s 10.1.0.0/16 -j DROP\n");
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "shadowed-rule");
    CHECK(found[0].line == 4);
    // The elements of a set rules add to depend on the packets before: nothing follows from them.
    CHECK(lint_text("ipset create h hash:ip\nipset add h 10.0.0.1\n"
                    "iptables -A INPUT -p tcp --dport 23 -j SET --add-set h src\n"
                    "iptables -A INPUT -m set --match-set h src -j ACCEPT\n"
                    "iptables -A INPUT -s 10.0.0.1 -j DROP\n")
              .empty());
    CHECK(lint_text("ipset create t hash:ip timeout 60\nipset add t 10.0.0.1\n"
                    "iptables -A INPUT -m set --match-set t src -j ACCEPT\n"
                    "iptables -A INPUT -s 10.0.0.1 -j DROP\n")
              .empty());
}

TEST_CASE("lint: a rule decided alike before it is redundant") {
    auto found = lint_text(filter("-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -s 10.1.0.0/16 -j ACCEPT\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "redundant-rule");
    CHECK(found[0].line == 6);
}

TEST_CASE("lint: a rule the rules after it would decide alike is redundant; one they would not is kept") {
    auto found = lint_text(
        filter("-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80:90 -j ACCEPT\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "redundant-rule");
    CHECK(found[0].line == 5);
    CHECK(found[0].related == std::vector<uint32_t>{6});
    CHECK(lint_text(filter("-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n-A INPUT -p tcp -j LOG\n"
                           "-A INPUT -p tcp -m tcp --dport 80:90 -j ACCEPT\n"))
              .empty());
}

TEST_CASE("lint: a DROP before a DROP policy is a redundant note, and none where a later rule would accept") {
    auto found = lint_text(filter("-A INPUT -p udp -j DROP\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "redundant-rule");
    CHECK(lint_text(filter("-A INPUT -p udp -j DROP\n-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n")).size() == 1);
}

TEST_CASE("lint: rules after an unconditional verdict are unreachable, said once") {
    auto found = lint_text(filter("-A INPUT -j REJECT\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p udp -j ACCEPT\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "unreachable-rule");
    CHECK(found[0].line == 6);
    CHECK(found[0].related == std::vector<uint32_t>{5});
}

TEST_CASE("lint: a jump that can return hides nothing after it; one that never returns does") {
    std::string chains = ":CHK - [0:0]\n";
    CHECK(lint_text(filter("-A INPUT -j CHK\n-A INPUT -p tcp -j ACCEPT\n-A CHK -s 1.2.3.4/32 -j DROP\n", chains))
              .empty());
    auto found =
        lint_text(filter("-A INPUT -j CHK\n-A INPUT -p tcp -j ACCEPT\n-A CHK -s 1.2.3.4/32 -j DROP\n"
                         "-A CHK -j ACCEPT\n",
                         chains));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "unreachable-rule");
    CHECK(found[0].line == 7);
}

TEST_CASE("lint: what a called chain hands back goes on in its caller, whose later verdicts then decide it") {
    // CHK drops what ALLOW hands back, so nothing INPUT's jump sends there comes back.
    std::string chains = ":CHK - [0:0]\n:ALLOW - [0:0]\n";
    std::string allow = "-A ALLOW -p tcp --dport 80 -j ACCEPT\n-A ALLOW -p tcp --dport 443 -j RETURN\n";
    auto found =
        lint_text(filter("-A INPUT -j CHK\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A CHK -j ALLOW\n"
                         "-A CHK -j DROP\n" +
                             allow,
                         chains));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "unreachable-rule");
    CHECK(found[0].line == 8);
    // A goto's packets the callee hands back go on in the caller's caller (TOP), whose DROP takes
    // them: nothing comes back from TOP.
    found =
        lint_text(filter("-A INPUT -j TOP\n-A INPUT -p tcp --dport 443 -j ACCEPT\n-A TOP -j CHK\n-A TOP -j DROP\n"
                         "-A CHK -p tcp -g ALLOW\n-A CHK -j DROP\n" +
                             allow,
                         chains + ":TOP - [0:0]\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "unreachable-rule");
    CHECK(found[0].line == 9);
    // A chain that changes the packet hands nothing back unchanged: no finding.
    CHECK(lint_text(filter("-A INPUT -j CHK\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A CHK -j ALLOW\n"
                           "-A CHK -j DROP\n-A ALLOW -j MARK --set-mark 1\n",
                           chains))
              .empty());
}

TEST_CASE("lint: a user chain's rule no packet jumping there can match is shadowed") {
    auto found = lint_text(
        filter("-A INPUT -p tcp -m tcp --dport 22 -j SSH\n-A SSH -s 192.168.0.0/16 -j ACCEPT\n-A SSH -p udp -j DROP\n",
               ":SSH - [0:0]\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "shadowed-rule");
    CHECK(found[0].line == 8);
    CHECK(found[0].related == std::vector<uint32_t>{6});
}

TEST_CASE("lint: a chain nothing jumps or goes to is unused; one reached by goto is not") {
    auto found = lint_text(
        filter("-A OUTPUT -p tcp -g USED\n-A USED -j ACCEPT\n-A SPARE -j DROP\n", ":USED - [0:0]\n:SPARE - [0:0]\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "unused-chain");
    CHECK(found[0].line == 6);
}

TEST_CASE("lint: the family's only rule that needs conntrack is no finding: deleting it stops connection tracking") {
    std::string rules = "-A INPUT -j ACCEPT\n-A INPUT -m conntrack --ctstate NEW -j DROP\n";
    CHECK(lint_text(filter(rules)).empty());
    auto found = lint_text(filter(rules + "-A OUTPUT -m conntrack --ctstate INVALID -j DROP\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "unreachable-rule");
    CHECK(found[0].line == 6);
}

TEST_CASE("lint: what no packet field decides (a rate limit) shadows nothing") {
    CHECK(lint_text(filter("-A OUTPUT -p icmp -m limit --limit 5/sec -j ACCEPT\n-A OUTPUT -p icmp -j DROP\n")).empty());
}

TEST_CASE("lint: IPv4's protocol byte and the layer 4 protocol are one field") {
    auto found = lint_text(filter("-A INPUT -p udp -j ACCEPT\n-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "redundant-rule");
    CHECK(found[0].line == 6);
}

TEST_CASE("lint: a mark set on the way is seen by the rules after it, also when a called chain sets it") {
    std::string mangle = "*mangle\n:PREROUTING ACCEPT [0:0]\n:SETM - [0:0]\n";
    auto found = lint_text(mangle +
                           "-A PREROUTING -j SETM\n-A PREROUTING -j MARK --set-mark 0x1\n-A PREROUTING -m mark --mark "
                           "0x0 -j DROP\nCOMMIT\n");
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "shadowed-rule");
    CHECK(lint_text(mangle + "-A PREROUTING -j SETM\n-A PREROUTING -p tcp -j MARK --set-mark 0x1\n"
                             "-A PREROUTING -m mark --mark 0x0 -j DROP\nCOMMIT\n")
              .empty());
    CHECK(lint_text(mangle + "-A PREROUTING -m mark --mark 0x1 -j DROP\n-A PREROUTING -j SETM\n"
                             "-A PREROUTING -m mark --mark 0x1 -j DROP\n-A SETM -j MARK --set-mark 0x1\nCOMMIT\n")
              .empty());
}

TEST_CASE("lint: '# ipt2nft: ignore CODE' on the line before silences that code there, and only it") {
    std::string rules =
        "-A INPUT -s 10.0.0.0/8 -j ACCEPT\n# ipt2nft: ignore shadowed-rule\n-A INPUT -s 10.1.2.3/32 -j DROP\n";
    CHECK(lint_text(filter(rules)).empty());
    rules = "-A INPUT -s 10.0.0.0/8 -j ACCEPT\n# ipt2nft: ignore redundant-rule\n-A INPUT -s 10.1.2.3/32 -j DROP\n";
    CHECK(lint_text(filter(rules)).size() == 1);
}

TEST_CASE("lint: an ignore comment works in a script too") {
    std::string script =
        "iptables -P INPUT DROP\niptables -A INPUT -s 10.0.0.0/8 -j ACCEPT\n"
        "# ipt2nft: ignore shadowed-rule, redundant-rule\niptables -A INPUT -s 10.1.2.3 -j DROP\n"
        "iptables -A INPUT -s 10.1.2.4 -j DROP\n";
    auto found = lint_text(script);
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "shadowed-rule");
    CHECK(found[0].line == 5);
}

TEST_CASE("lint: duplicated NAT rules are redundant, NATs to other addresses or ports only shadow") {
    std::string nat = "*nat\n:POSTROUTING ACCEPT [0:0]\n";
    auto found = lint_text(
        nat + "-A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE\n-A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE\nCOMMIT\n");
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "redundant-rule");
    found = lint_text(nat +
                      "-A POSTROUTING -s 10.0.0.0/8 -p tcp -j MASQUERADE --to-ports 1024-65535\n"
                      "-A POSTROUTING -s 10.0.0.0/8 -p tcp -j MASQUERADE\nCOMMIT\n");
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "shadowed-rule");
    std::string dnat = "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination ";
    // The second DNAT's destination, and what it is behind the first (to 10.0.0.1:8080).
    for (const auto& second : std::vector<std::pair<std::string, std::string>>{{"10.0.0.1:8080", "redundant-rule"},
                                                                               {"10.0.0.1:8081", "shadowed-rule"},
                                                                               {"10.0.0.2:8080", "shadowed-rule"}}) {
        CAPTURE(second.first);
        found = lint_text(dnat + "10.0.0.1:8080\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination " +
                          second.first + "\nCOMMIT\n");
        REQUIRE(found.size() == 1);
        CHECK(found[0].code == second.second);
    }
}

}  // namespace ipt2nft

namespace ipt2nft {
namespace {

// The codes of the findings about kinds of traffic, " (note)" after those that are notes.
std::vector<std::string> codes_of(const std::string& text, std::vector<analysis::KeptService> keep = {},
                                  Family family = Family::ipv4) {
    LintRequest request;
    request.input.inputs.push_back({"rules", text});
    request.input.family = family;
    request.keep = std::move(keep);
    LintResult result = lint(std::move(request));
    REQUIRE(result.translated.ok);
    std::vector<std::string> out;
    for (const auto& d : result.findings)
        if (!about_rules(d.code)) out.push_back(d.code + (d.severity == Severity::note ? " (note)" : ""));
    return out;
}

const std::string open_input =
    "-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";

}  // namespace

TEST_CASE("lint: INPUT dropping all new SSH is a lockout note, a warning for a service --keep names") {
    CHECK(codes_of(filter(open_input + "-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n")) ==
          std::vector<std::string>{"lockout (note)"});
    CHECK(codes_of(filter(open_input + "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n")).empty());
    CHECK(codes_of(filter(open_input + "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"), {{17, 53}}) ==
          std::vector<std::string>{"lockout"});
}

TEST_CASE("lint: the drops after a jump to a chain that returns count, for lockout as for the rest") {
    std::string chains = ":WEB - [0:0]\n";
    CHECK(codes_of(filter(open_input + "-A INPUT -j WEB\n-A WEB -p tcp -m tcp --dport 80 -j ACCEPT\n", chains)) ==
          std::vector<std::string>{"lockout (note)"});
    CHECK(
        codes_of(filter(open_input + "-A INPUT -j WEB\n-A WEB -p tcp -m tcp --dport 22 -j ACCEPT\n", chains)).empty());
}

TEST_CASE("lint: INPUT dropping new connections over lo is loopback-blocked; accepting lo first is not") {
    CHECK(codes_of(filter("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
                          "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n")) ==
          std::vector<std::string>{"loopback-blocked"});
}

TEST_CASE("lint: accepting new connections without their established packets is no-established") {
    CHECK(codes_of(filter("-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW "
                          "-j ACCEPT\n")) == std::vector<std::string>{"lockout (note)", "no-established"});
    CHECK(codes_of(filter(open_input + "-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\n"))
              .empty());
}

TEST_CASE("lint: an ip6tables INPUT that drops neighbour discovery is ipv6-nd-blocked; RELATED does not let it in") {
    std::string rules = open_input + "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n";
    CHECK(codes_of(filter(rules), {}, Family::ipv6) == std::vector<std::string>{"ipv6-nd-blocked"});
    CHECK(codes_of(filter(rules + "-A INPUT -p ipv6-icmp -j ACCEPT\n"), {}, Family::ipv6).empty());
}

}  // namespace ipt2nft

namespace ipt2nft {

TEST_CASE("lint: a DNAT whose connections FORWARD drops is dnat-blocked; one accepted in a user chain is not") {
    std::string nat =
        "*nat\n:PREROUTING ACCEPT [0:0]\n"
        "-A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80\n"
        "COMMIT\n";
    std::string head =
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:WEB - [0:0]\n"
        "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";
    CHECK(codes_of(nat + head + "-A FORWARD -d 192.168.1.10/32 -p tcp -m tcp --dport 8080 -j ACCEPT\nCOMMIT\n") ==
          std::vector<std::string>{"dnat-blocked"});
    CHECK(codes_of(nat + head +
                   "-A FORWARD -p tcp -j WEB\n-A WEB -d 192.168.1.10/32 -p tcp -m tcp --dport 80 "
                   "-j ACCEPT\nCOMMIT\n")
              .empty());
}

TEST_CASE("lint: a REDIRECT whose connections INPUT drops is dnat-blocked; one INPUT accepts is not") {
    std::string redirect =
        "*nat\n:PREROUTING ACCEPT [0:0]\n"
        "-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128\nCOMMIT\n";
    std::string input =
        "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n";
    CHECK(codes_of(redirect + input + "COMMIT\n") == std::vector<std::string>{"dnat-blocked"});
    CHECK(codes_of(redirect + input + "-A INPUT -p tcp -m tcp --dport 3128 -j ACCEPT\nCOMMIT\n").empty());
}

}  // namespace ipt2nft
