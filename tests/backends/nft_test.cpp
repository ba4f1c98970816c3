// Unit tests of the nft backend: script shape, counters, comments, untranslated rules.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

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
    std::string in = "*filter\n-A INPUT -m recent --name x --rcheck -j DROP\nCOMMIT\n";
    auto o = run(in);
    CHECK_FALSE(o.ok);
    CHECK(o.diagnostics.find("t.v4:2:13: error: cannot translate recent") != std::string::npos);
    ipt2nft::TranslateRequest r;
    r.inputs.push_back({"t.v4", in});
    r.script.allow_untranslated = true;
    auto result = run(r);
    CHECK(result.ok);
    CHECK(result.script.find("# untranslated: -A INPUT -m recent --name x --rcheck -j DROP") != std::string::npos);
    CHECK(result.diagnostics.find("warning: cannot translate recent") != std::string::npos);
    CHECK(result.diagnostics.find("error") == std::string::npos);
}

TEST_CASE("-c with --allow-untranslated writes the command as a comment, once, with a warning") {
    ipt2nft::nft::ScriptOptions options;
    options.allow_untranslated = true;
    std::ostringstream out;
    auto result = ipt2nft::translate_command("iptables-translate  -A INPUT -s 10.0.0.1,10.0.0.2 -m recent --set",
                                             std::nullopt, options, out);
    CHECK(result.ok);
    CHECK(result.untranslated == 1);
    CHECK(out.str() == "# untranslated: iptables -A INPUT -s 10.0.0.1,10.0.0.2 -m recent --set\n");
    REQUIRE(result.diags.all().size() == 1);
    CHECK(ipt2nft::render_one(result.sources, result.diags.all()[0])
              .starts_with("<command>:1:43: warning: cannot translate recent --set"));
    options.allow_untranslated = false;
    std::ostringstream refused;
    CHECK_FALSE(ipt2nft::translate_command("iptables -A INPUT -m recent --set", std::nullopt, options, refused).ok);
    CHECK(refused.str().empty());
}

TEST_CASE("an untranslated rule over several lines is commented out line by line") {
    // A command continued with '\' and a quoted comment holding a line break (with a word nft
    // would take for a verdict); with --noflush, -I writes an insertion of its own.
    for (bool noflush : {false, true}) {
        ipt2nft::TranslateRequest r;
        r.inputs.push_back({"t.sh",
                            "iptables -A INPUT \\\n  -m recent --set -j DROP\n"
                            "iptables -I INPUT -m recent --set -m comment --comment \"a\naccept\" -j DROP\n"});
        r.script.allow_untranslated = true;
        r.script.noflush = noflush;
        auto o = run(r);
        REQUIRE(o.ok);
        CHECK(o.script.find("# untranslated: iptables -A INPUT \\\n\t\t#   -m recent --set -j DROP\n") !=
              std::string::npos);
        std::string indent = noflush ? "" : "\t\t";  // -I's rule ahead of the kernel's: an insertion
        CHECK(o.script.find("--comment \"a\n" + indent + "# accept\" -j DROP\n") != std::string::npos);
        for (std::string_view line : {"  -m recent --set -j DROP", "accept\" -j DROP"})
            CHECK(o.script.find("\n" + std::string(line)) == std::string::npos);
    }
}

TEST_CASE("an untranslated command's comment holds that command, not the others on its line") {
    ipt2nft::TranslateRequest r;
    r.inputs.push_back(
        {"t.sh", "iptables -A INPUT -m recent --set -j DROP 2>/dev/null; iptables -A INPUT -j ACCEPT\n"});
    r.script.allow_untranslated = true;
    auto o = run(r);
    REQUIRE(o.ok);
    CHECK(o.script.find("# untranslated: iptables -A INPUT -m recent --set -j DROP\n\t\tcounter accept\n") !=
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
    using ipt2nft::test::rule;
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
    using ipt2nft::test::rule;
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
