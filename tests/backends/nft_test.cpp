// Unit tests of the nft backend: script shape, counters, comments, untranslated rules, and nft's own
// ways of writing what the IR holds.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

using ipt2nft::test::rule;
using ipt2nft::test::run;

TEST_CASE("the issue's example, exactly") {
    auto o = run("*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n");
    REQUIRE(o.ok);
    CHECK(o.script ==
          "table ip filter\ndelete table ip filter\ntable ip filter {\n\tchain INPUT {\n"
          "\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 counter accept\n\t}\n}\n");
}

TEST_CASE("saved counters, --no-counters and comments") {
    auto o = run("*filter\n[3:120] -A INPUT -j ACCEPT -m comment --comment \"say \\\"hi\\\"\"\nCOMMIT\n");
    REQUIRE(o.ok);
    CHECK(o.script.find("counter packets 3 bytes 120 accept comment \"say 'hi'\"") != std::string::npos);
    CHECK(o.diagnostics.find("[comment-changed]") != std::string::npos);
    CHECK(run("*filter\n-A INPUT -j ACCEPT\nCOMMIT\n", false).script.find("counter") == std::string::npos);
    std::string long_comment(200, 'x');
    auto c = run("*filter\n-A INPUT -m comment --comment " + long_comment + "\nCOMMIT\n");
    CHECK(c.diagnostics.find("[comment-cut]") != std::string::npos);
    CHECK(c.script.find(std::string(127, 'x') + "\"") != std::string::npos);
    // Cut before the character the limit falls in: "é" ending at byte 127 stays, one across it goes.
    auto ends = run("*filter\n-A INPUT -m comment --comment " + std::string(125, 'x') + "éyy\nCOMMIT\n");
    CHECK(ends.script.find("comment \"" + std::string(125, 'x') + "é\"") != std::string::npos);
    auto across = run("*filter\n-A INPUT -m comment --comment " + std::string(126, 'x') + "éy\nCOMMIT\n");
    CHECK(across.script.find("comment \"" + std::string(126, 'x') + "\"") != std::string::npos);
}

TEST_CASE("untranslatable rules: an error, or a comment with a warning when allowed") {
    std::string in = "*filter\n-A INPUT -m string --algo bm --string x -j DROP\nCOMMIT\n";
    auto o = run(in);
    CHECK_FALSE(o.ok);
    CHECK(o.diagnostics.find("t.v4:2:13: error: cannot translate string") != std::string::npos);
    ipt2nft::TranslateRequest r;
    r.inputs.push_back({"t.v4", in});
    r.script.allow_untranslated = true;
    auto result = run(r);
    CHECK(result.ok);
    CHECK(result.script.find("# untranslated: -A INPUT -m string --algo bm --string x -j DROP") != std::string::npos);
    CHECK(result.diagnostics.find("warning: cannot translate string") != std::string::npos);
    CHECK(result.diagnostics.find("error") == std::string::npos);
}

TEST_CASE("-c with --allow-untranslated writes the command as a comment, once, with a warning") {
    ipt2nft::nft::ScriptOptions options;
    options.allow_untranslated = true;
    std::ostringstream out;
    auto result =
        ipt2nft::translate_command("iptables-translate  -A INPUT -s 10.0.0.1,10.0.0.2 -m string --algo bm --string x",
                                   std::nullopt, options, ipt2nft::TranslateRequest::Format::nft, out);
    CHECK(result.ok);
    CHECK(result.untranslated == 1);
    CHECK(out.str() == "# untranslated: iptables -A INPUT -s 10.0.0.1,10.0.0.2 -m string --algo bm --string x\n");
    REQUIRE(result.diags.all().size() == 1);
    CHECK(ipt2nft::render_one(result.sources, result.diags.all()[0])
              .starts_with("<command>:1:43: warning: cannot translate string --algo bm --string x"));
    options.allow_untranslated = false;
    std::ostringstream refused;
    CHECK_FALSE(ipt2nft::translate_command("iptables -A INPUT -m string --algo bm --string x", std::nullopt, options,
                                           ipt2nft::TranslateRequest::Format::nft, refused)
                    .ok);
    CHECK(refused.str().empty());
}

TEST_CASE("an untranslated rule over several lines is commented out line by line") {
    // A command continued with '\' and a quoted comment holding a line break (with a word nft
    // would take for a verdict); with --noflush, -I writes an insertion of its own.
    for (bool noflush : {false, true}) {
        ipt2nft::TranslateRequest r;
        r.inputs.push_back(
            {"t.sh",
             "iptables -A INPUT \\\n  -m string --algo bm --string x -j DROP\n"
             "iptables -I INPUT -m string --algo bm --string x -m comment --comment \"a\naccept\" -j DROP\n"});
        r.script.allow_untranslated = true;
        r.script.noflush = noflush;
        auto o = run(r);
        REQUIRE(o.ok);
        CHECK(o.script.find("# untranslated: iptables -A INPUT \\\n\t\t#   -m string --algo bm --string x -j DROP\n") !=
              std::string::npos);
        std::string indent = noflush ? "" : "\t\t";  // -I's rule ahead of the kernel's: an insertion
        CHECK(o.script.find("--comment \"a\n" + indent + "# accept\" -j DROP\n") != std::string::npos);
        for (std::string_view line : {"  -m string --algo bm --string x -j DROP", "accept\" -j DROP"})
            CHECK(o.script.find("\n" + std::string(line)) == std::string::npos);
    }
}

TEST_CASE("an untranslated command's comment holds that command, not the others on its line") {
    ipt2nft::TranslateRequest r;
    r.inputs.push_back(
        {"t.sh",
         "iptables -A INPUT -m string --algo bm --string x -j DROP 2>/dev/null; iptables -A INPUT -j ACCEPT\n"});
    r.script.allow_untranslated = true;
    auto o = run(r);
    REQUIRE(o.ok);
    CHECK(o.script.find(
              "# untranslated: iptables -A INPUT -m string --algo bm --string x -j DROP\n\t\tcounter accept\n") !=
          std::string::npos);
}

TEST_CASE("chains of every length print whole and in order, however the text is cut for printing") {
    // Lengths around the size of a printing piece (256 lines, a chain takes its rules + 2).
    const size_t lengths[] = {0, 1, 252, 253, 254, 255, 256, 257, 700, 3, 0, 511, 512, 2};
    std::string in = "*filter\n:INPUT ACCEPT [0:0]\n", expected_chains;
    for (size_t c = 0; c < std::size(lengths); ++c) in += ":C" + std::to_string(c) + " - [0:0]\n";
    for (size_t c = 0; c < std::size(lengths); ++c) {
        expected_chains += "\n\tchain C" + std::to_string(c) + " {\n";
        for (size_t r = 0; r < lengths[c]; ++r) {
            in += "-A C" + std::to_string(c) + " -p tcp --dport " + std::to_string(r + 1) + " -j ACCEPT\n";
            expected_chains += "\t\ttcp dport " + std::to_string(r + 1) + " accept\n";
        }
        expected_chains += "\t}\n";
    }
    auto o = run(in + "COMMIT\n", false);
    REQUIRE(o.ok);
    CHECK(o.script ==
          "table ip filter\ndelete table ip filter\ntable ip filter {\n\tchain INPUT {\n"
          "\t\ttype filter hook input priority filter; policy accept;\n\t}\n" +
              expected_chains + "}\n");
}

TEST_CASE("log prefixes: cut where iptables cuts them, a quote nft cannot write refused") {
    auto cut = run("*filter\n-A INPUT -j LOG --log-prefix " + std::string(40, 'p') +
                   "\n-A INPUT -j NFLOG --nflog-prefix " + std::string(130, 'n') + "\nCOMMIT\n");
    REQUIRE(cut.ok);
    CHECK(cut.script.find("log prefix \"" + std::string(29, 'p') + "\"") != std::string::npos);
    CHECK(cut.script.find("log prefix \"" + std::string(127, 'n') + "\" group 0") != std::string::npos);
    CHECK(cut.diagnostics.find("[text-cut]") != std::string::npos);
    auto quote = run("*filter\n-A INPUT -j LOG --log-prefix \"say \\\"x\\\"\"\nCOMMIT\n");
    CHECK_FALSE(quote.ok);
    CHECK(quote.diagnostics.find("t.v4:2:13: error: nft's syntax cannot hold '\"' in a log prefix") !=
          std::string::npos);
    // nft reads '$' there as a variable, escaped or not (seen: "unknown identifier").
    auto dollar = run("*filter\n-A INPUT -j NFLOG --nflog-prefix \"cost: $5\"\nCOMMIT\n");
    CHECK_FALSE(dollar.ok);
    CHECK(dollar.diagnostics.find("cannot hold '$' in a log prefix") != std::string::npos);
}

TEST_CASE("an interface name with '\"' cannot be written: an error, not a script nft refuses") {
    auto o = ipt2nft::test::run("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i \"a\\\"b\" -j ACCEPT\nCOMMIT\n");
    CHECK_FALSE(o.ok);
    CHECK(o.script.empty());
    CHECK(o.diagnostics.find("[unwritable-interface]") != std::string::npos);
}

TEST_CASE("backslashes in interface names: nft drops them before a last '*' (seen in the kernel's compare)") {
    // The name `a\*` and the prefix `a\` would reach the kernel as `a*`: refused.
    CHECK(rule("iptables -A INPUT -i 'a\\*' -j ACCEPT").find("[unwritable-interface]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -o 'a\\+' -j ACCEPT").find("[unwritable-interface]") != std::string::npos);
    // Elsewhere a backslash is a byte like any other, and a '*' of the name is escaped.
    CHECK(rule("iptables -A INPUT -i 'x\\' -j ACCEPT") ==
          "nft 'add rule ip filter INPUT iifname \"x\\\" counter accept'");
    CHECK(rule("iptables -A INPUT -i 'a\\*b' -j ACCEPT") ==
          "nft 'add rule ip filter INPUT iifname \"a\\*b\" counter accept'");
    CHECK(rule("iptables -A INPUT -i 'eth*' -j ACCEPT") ==
          "nft 'add rule ip filter INPUT iifname \"eth\\*\" counter accept'");
    CHECK(rule("iptables -A INPUT -i 'eth*+' -j ACCEPT") ==
          "nft 'add rule ip filter INPUT iifname \"eth**\" counter accept'");
}

TEST_CASE("headers of another protocol than the connection's are written as transport header bits") {
    // nft would take `ct original protocol 6` as the packet's protocol and refuse `icmp type`
    // ("conflicting protocols"); ICMP errors of TCP connections are what such a rule is for.
    CHECK(rule("iptables -A INPUT -m conntrack --ctproto tcp --ctorigdstport 80 -p icmp --icmp-type 3/1 -j ACCEPT") ==
          "nft 'add rule ip filter INPUT ct original protocol 6 ct original proto-dst 80 ip protocol icmp @th,0,8 3 "
          "@th,8,8 1 counter accept'");
    CHECK(rule("iptables -A INPUT -m conntrack --ctproto udp -p tcp --tcp-flags SYN,ACK SYN -j DROP")
              .find("ip protocol tcp @th,104,8 & 18 == 2 counter drop") != std::string::npos);
    // The same protocol, or a header tested before the connection's: nft's own words.
    CHECK(rule("iptables -A INPUT -p tcp -m conntrack --ctproto tcp --dport 22 -j ACCEPT") ==
          "nft 'add rule ip filter INPUT ct original protocol 6 tcp dport 22 counter accept'");
    CHECK(rule("iptables -A INPUT -p icmp --icmp-type 3 -m conntrack --ctproto tcp -j ACCEPT")
              .find("icmp type destination-unreachable ct original protocol 6") != std::string::npos);
}

TEST_CASE(
    "nft's own ways of writing what the IR holds: never-matching names, listings that reload, dependencies, objects") {
    CHECK(rule("iptables -A FORWARD ! -i +") == "nft 'add rule ip filter FORWARD iifname \"INVAL/D\" counter'");
    // `ct original daddr` with a prefix lists as `0.192.168.1` in nft 1.0.6 and does not reload.
    CHECK(rule("iptables -A INPUT -m conntrack --ctorigdst 192.168.1.0/24") ==
          "nft 'add rule ip filter INPUT ct original ip daddr 192.168.1.0/24 counter'");
    CHECK(rule("iptables -A INPUT -p tcp --tcp-option 23") ==
          "nft 'add rule ip filter INPUT tcp option 23 exists counter'");
    // nft tests no protocol before a TCP option: `missing` alone would hold for UDP packets.
    CHECK(rule("iptables -A INPUT -p tcp ! --tcp-option 23") ==
          "nft 'add rule ip filter INPUT ip protocol tcp tcp option 23 missing counter'");
    // Written in nft's units: nft 1.0.6 refuses 100000000ms ("value too large"), takes 1d3h46m40s.
    CHECK(rule("iptables -A INPUT -m conntrack --ctexpire 86399:100000") ==
          "nft 'add rule ip filter INPUT ct expiration 23h59m59s-1d3h46m40s999ms counter'");
    // nft would take the connection's protocol for the reject's and refuse `reject with tcp reset`.
    CHECK(rule("iptables -A OUTPUT -p tcp -m conntrack --ctproto udp -j REJECT --reject-with tcp-reset") ==
          "nft 'add rule ip filter OUTPUT ip protocol tcp ct original protocol 17 ip protocol tcp counter reject with "
          "tcp reset'");
    // The helper object the rule names comes first: nft refuses a rule naming one not there.
    CHECK(rule("iptables -t raw -A PREROUTING -p udp -j CT --helper tftp") ==
          "nft 'add ct helper ip raw tftp-udp { type \"tftp\" protocol udp; }'\n"
          "nft 'add rule ip raw PREROUTING ip protocol udp counter ct helper set \"tftp-udp\"'");
}

TEST_CASE("protocols nft cannot read by name are written as numbers") {
    // "mh" is also an nft keyword: `meta l4proto mh` does not parse in nft 1.0.6.
    CHECK(rule("ip6tables -A INPUT -p mh -j ACCEPT") ==
          "nft 'add rule ip6 filter INPUT meta l4proto 135 counter accept'");
    CHECK(rule("iptables -A INPUT -p gre -j ACCEPT") ==
          "nft 'add rule ip filter INPUT ip protocol gre counter accept'");
}

TEST_CASE("-p is tested before a rate limit or nth counter, as iptables tests it before every match") {
    // Left to nft's own dependency, the protocol test would come after the bucket, which then
    // counted packets of every protocol (seen in the kernel's expressions with iptables-nft).
    CHECK(rule("iptables -A INPUT -m limit --limit 10/minute -p udp -m udp ! --sport 22 -j ACCEPT") ==
          "nft 'add rule ip filter INPUT ip protocol udp limit rate 10/minute burst 5 packets udp sport != 22 counter "
          "accept'");
    CHECK(rule("ip6tables -A INPUT -m statistic --mode nth --every 2 --packet 0 -p tcp --dport 22 -j ACCEPT") ==
          "nft 'add rule ip6 filter INPUT meta l4proto tcp numgen inc mod 2 0 tcp dport 22 counter accept'");
    // After the header's first test it adds nothing.
    CHECK(rule("iptables -A INPUT -p udp -m udp ! --sport 22 -m limit --limit 10/minute -j ACCEPT") ==
          "nft 'add rule ip filter INPUT udp sport != 22 limit rate 10/minute burst 5 packets counter accept'");
}

TEST_CASE("-c commands beside -A: positions, renames, and what only the live ruleset knows") {
    // -I 3 makes the rule the third, also when the chain holds two: nft adds it after the second,
    // at index 1 (from 0), where `insert ... index 2` would want a third rule there already.
    CHECK(rule("iptables -I INPUT 3 -p tcp -j ACCEPT") ==
          "nft 'add rule ip filter INPUT index 1 ip protocol tcp counter accept'");
    CHECK(rule("iptables -I INPUT 1 -j ACCEPT") == "nft 'insert rule ip filter INPUT counter accept'");
    CHECK(rule("iptables -t nat -E A B") == "nft 'rename chain ip nat A B'");
    // -N fails on a chain that is there, as `create` does (`add` passes over it); nft deletes a
    // chain with its rules, which iptables -X refuses: said.
    CHECK(rule("iptables -N A") == "nft 'create chain ip filter A'");
    std::ostringstream deleting;
    auto deleted =
        ipt2nft::translate_command("iptables -X A", std::nullopt, {}, ipt2nft::TranslateRequest::Format::nft, deleting);
    CHECK(deleted.ok);
    CHECK(deleting.str() == "nft 'delete chain ip filter A'\n");
    REQUIRE(deleted.diags.all().size() == 1);
    CHECK(ipt2nft::render_one(deleted.sources, deleted.diags.all()[0])
              .starts_with("<command>:1:13: warning: nft deletes chain A together with any rules"));
    CHECK(rule("iptables -D INPUT 2").find("by handle") != std::string::npos);
    CHECK(rule("iptables -R INPUT 2 -j DROP").find("by handle") != std::string::npos);
    CHECK(rule("iptables -t nat -D POSTROUTING -j MASQUERADE")
              .find("-c cannot translate -D: nft deletes a rule by its handle, which only the live ruleset knows "
                    "(`nft -a list chain ip nat POSTROUTING` shows it) [usage]") != std::string::npos);
    CHECK(rule("iptables -X").find("[usage]") != std::string::npos);
    CHECK(rule("iptables -nL INPUT").find("does not change the ruleset: -c has nothing to translate") !=
          std::string::npos);
    // `|| true` lets the command fail (found by the fuzzer: a crash), -C only answers.
    CHECK(rule("iptables -t mangme -A X -j ACCEPT || true").find("this command fails, so it changes nothing") !=
          std::string::npos);
    CHECK(rule("iptables -A INPUT -j ACCEPT || true") == "nft 'add rule ip filter INPUT counter accept'");
    CHECK(rule("iptables -C INPUT -j ACCEPT || true").find("-C only tests whether a rule is there") !=
          std::string::npos);
    CHECK(rule("iptables -C INPUT -j X || iptables -A INPUT -j X").find("exactly one iptables command") !=
          std::string::npos);
    // A chain a typo away from a built-in chain or a target is still taken to exist, with a warning.
    auto near_misses = [](const std::string& command) {
        std::ostringstream out;
        auto result =
            ipt2nft::translate_command(command, std::nullopt, {}, ipt2nft::TranslateRequest::Format::nft, out);
        std::string said;
        for (const auto& d : result.diags.all()) said += ipt2nft::render_one(result.sources, d);
        CHECK(result.ok);
        return said;
    };
    CHECK(near_misses("iptables -A INPTU -j ACCPET").find("'INPTU' is taken for a user chain") != std::string::npos);
    CHECK(near_misses("iptables -A INPTU -j ACCPET").find("did you mean 'ACCEPT'?") != std::string::npos);
    CHECK(near_misses("iptables -A INPUT -j DOCKER").empty());
    CHECK(near_misses("iptables -N INPTU").empty());
    // A command as written for iptables-translate: its arguments are those of iptables.
    CHECK(rule("/usr/sbin/iptables-translate -t nat -A POSTROUTING -o eth0 -j MASQUERADE") ==
          "nft 'add rule ip nat POSTROUTING oifname \"eth0\" counter masquerade'");
    CHECK(rule("ip6tables-translate -A INPUT -s ::1 -j ACCEPT") ==
          "nft 'add rule ip6 filter INPUT ip6 saddr ::1 counter accept'");
    // A built-in chain's hook is known alone: what the kernel refuses there is an error, as in a file.
    CHECK(rule("iptables -t nat -A PREROUTING -j MASQUERADE").find("[target-not-allowed]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -o eth0 -j ACCEPT").find("[interface-not-allowed]") != std::string::npos);
    CHECK(rule("iptables -A INPUT -m owner --uid-owner 0 -j ACCEPT").find("[match-not-allowed]") != std::string::npos);
    CHECK(rule("iptables -A MYCHAIN -o eth0 -m owner --uid-owner 0 -j ACCEPT") ==
          "nft 'add rule ip filter MYCHAIN oifname \"eth0\" skuid 0 counter accept'");
}

namespace {
ipt2nft::test::Outcome inet(const std::string& v4, const std::string& v6,
                            ipt2nft::TranslateRequest::Format format = ipt2nft::TranslateRequest::Format::nft) {
    ipt2nft::TranslateRequest r;
    r.format = format;
    r.inputs.push_back({"t.v4", v4});
    r.inputs.push_back({"t.v6", v6});
    r.script.counters = false;
    r.script.inet = true;
    return run(std::move(r));
}
}  // namespace

TEST_CASE("--inet: one inet table, a rule both families have alike once, the others for their family") {
    auto o = inet(
        "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -s 10.0.0.1 -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n"
        "-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m limit --limit 1/s -j ACCEPT\nCOMMIT\n",
        "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n"
        "-A INPUT -s ::1 -j ACCEPT\n-A INPUT -m limit --limit 1/s -j ACCEPT\nCOMMIT\n");
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    CHECK(
        o.script.starts_with("table ip filter\ndelete table ip filter\ntable ip6 filter\ndelete table ip6 filter\n"
                             "table inet filter\ndelete table inet filter\ntable inet filter {\n"));
    // Each family's order kept; a rate limit stays one per family (its bucket is the rule's).
    CHECK(o.script.find("\t\ttype filter hook input priority filter; policy drop;\n"
                        "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 accept\n"
                        "\t\tiifname \"lo\" accept\n"
                        "\t\ttcp dport 22 accept\n"
                        "\t\tmeta nfproto ipv4 limit rate 1/second burst 5 packets accept\n"
                        "\t\tmeta nfproto ipv6 ip6 saddr ::1 accept\n"
                        "\t\tmeta nfproto ipv6 limit rate 1/second burst 5 packets accept\n") != std::string::npos);
    // FORWARD drops in IPv4 alone: the chain accepts, a last rule drops IPv4.
    CHECK(o.script.find("\t\ttype filter hook forward priority filter; policy accept;\n"
                        "\t\tmeta nfproto ipv4 drop\n") != std::string::npos);
    // What an inet table cannot hold keeps the two tables apart, with a warning.
    auto apart = inet("*filter\n-A INPUT -m recent --set\nCOMMIT\n", "*filter\n-A INPUT -m recent --set\nCOMMIT\n");
    CHECK(apart.script.find("table ip6 filter {") != std::string::npos);
    CHECK(apart.script.find("inet") == std::string::npos);
    CHECK(apart.diagnostics.find("have a set named DEFAULT") != std::string::npos);
    // JSON: the same merge, a family's rule led by the nfproto match.
    auto json = inet("*filter\n-A INPUT -s 10.0.0.1 -j ACCEPT\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n",
                     "*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n", ipt2nft::TranslateRequest::Format::json);
    REQUIRE_MESSAGE(json.ok, json.diagnostics);
    CHECK(
        json.script.find("{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"filter\",\"chain\":\"INPUT\",\"expr\":[{"
                         "\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"nfproto\"}},\"right\":\"ipv4\"}}") !=
        std::string::npos);
    CHECK(json.script.find("{\"delete\":{\"table\":{\"family\":\"ip6\",\"name\":\"filter\"}}}") != std::string::npos);
    auto alone = inet("*filter\n-A INPUT -j ACCEPT\nCOMMIT\n", "*raw\n-A PREROUTING -j ACCEPT\nCOMMIT\n");
    CHECK(alone.diagnostics.find("nothing is merged [inet-apart]") != std::string::npos);
}
