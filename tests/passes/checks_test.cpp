// Unit tests of the ruleset checks: each reports its code at the right place.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"

using ipt2nft::test::run;

namespace {
bool has(const std::string& diags, const std::string& code) {
    return diags.find("[" + code + "]") != std::string::npos;
}
}  // namespace

TEST_CASE("references and loops") {
    auto o = run("*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\n-A INPUT -j NOPE\nCOMMIT\n");
    CHECK(has(o.diagnostics, "chain-loop"));
    CHECK(has(o.diagnostics, "unknown-chain"));
    // A loop no built-in chain reaches loads (iptables-nft-restore and nft -f take it): a warning.
    auto unreached = run("*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\nCOMMIT\n");
    CHECK(unreached.ok);
    CHECK(unreached.diagnostics.find("warning: jump from B to A closes a loop that no built-in chain reaches") !=
          std::string::npos);
}

TEST_CASE("targets in tables and hooks the kernel refuses, also through user chains") {
    auto o =
        run("*nat\n:U - [0:0]\n-A POSTROUTING -j U\n-A U -p tcp -j DNAT --to-destination 1.2.3.4\n-A PREROUTING -j "
            "MASQUERADE\nCOMMIT\n");
    CHECK_FALSE(o.ok);
    CHECK(o.diagnostics.find("reached from POSTROUTING") != std::string::npos);
    CHECK(o.diagnostics.find("MASQUERADE is only valid in POSTROUTING") != std::string::npos);
    auto r = run("*mangle\n-A INPUT -j REJECT\nCOMMIT\n");
    CHECK(has(r.diagnostics, "target-not-allowed"));
    auto ok = run("*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\n-A INPUT -j SNAT --to-source 1.2.3.4\nCOMMIT\n");
    CHECK(ok.ok);
}

TEST_CASE("interfaces where they cannot match") {
    auto o = run("*filter\n:U - [0:0]\n-A INPUT -o eth0 -j ACCEPT\n-A OUTPUT -j U\n-A U -i eth0 -j ACCEPT\nCOMMIT\n");
    CHECK(has(o.diagnostics, "interface-not-allowed"));
    CHECK(has(o.diagnostics, "interface-never-matches"));
    CHECK(o.diagnostics.find("t.v4:5:") != std::string::npos);
}

TEST_CASE("save-file structure") {
    CHECK(has(run("-A INPUT -j ACCEPT\n").diagnostics, "outside-table"));
    CHECK(has(run("*filter\n-A INPUT -j ACCEPT\n").diagnostics, "missing-commit"));
    CHECK(has(run("*filtre\nCOMMIT\n").diagnostics, "unknown-table"));
    CHECK(run("*filter\r\n:INPUT DROP [0:0]\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n").ok);
    CHECK(has(run(std::string("*filter\n-A INPUT -j AC\0CEPT\nCOMMIT\n", 34)).diagnostics, "binary-input"));
}

TEST_CASE("hostile input: huge lines, many errors, unterminated quotes end with located errors") {
    std::string huge = "*filter\n-A INPUT -m comment --comment " + std::string(300000, 'x') + " -j ACCEPT\nCOMMIT\n";
    CHECK(has(run(huge).diagnostics, "word-too-long"));  // iptables-restore's words end at 1023 bytes
    auto h = run("iptables -A INPUT -m comment --comment " + std::string(300000, 'x') + " -j ACCEPT\n");
    CHECK(h.ok);  // cut to the 255 bytes iptables keeps, then to nft's 128, each with a warning
    CHECK(has(h.diagnostics, "text-cut"));
    CHECK(has(h.diagnostics, "comment-cut"));
    CHECK(h.script.find("comment \"" + std::string(127, 'x') + "\"") != std::string::npos);
    std::string garbage = "*filter\n";
    for (int i = 0; i < 5000; ++i) garbage += "-A INPUT --bogus" + std::to_string(i) + " x\n";
    garbage += "COMMIT\n";
    auto g = run(garbage);
    CHECK_FALSE(g.ok);
    CHECK(has(g.diagnostics, "unknown-option"));
    // An unterminated quote is reported on its own line; the next line is still read.
    auto q = run("iptables -A INPUT -m comment --comment 'open\niptables -A INPUT -p tcp --dport 70000 -j ACCEPT\n");
    CHECK(q.diagnostics.find("t.v4:1:") != std::string::npos);
    CHECK(q.diagnostics.find("t.v4:2:") != std::string::npos);
    CHECK(has(q.diagnostics, "bad-port"));
}

TEST_CASE("jumps deeper than nf_tables's stack of 16, by jump or goto, from base chains only") {
    // INPUT -> C0 -> ... -> C(n-1): C(n-1) is n jumps below INPUT.
    auto line_of = [](size_t n, const std::string& how, bool from_input) {
        std::string s = "*filter\n";
        for (size_t i = 0; i < n; ++i) s += ":C" + std::to_string(i) + " - [0:0]\n";
        if (from_input) s += "-A INPUT " + how + " C0\n";
        for (size_t i = 0; i + 1 < n; ++i) s += "-A C" + std::to_string(i) + " " + how + " C" + std::to_string(i + 1) + "\n";
        return s + "COMMIT\n";
    };
    CHECK(run(line_of(15, "-j", true)).ok);
    auto deep = run(line_of(16, "-j", true));
    CHECK_FALSE(deep.ok);
    CHECK(deep.diagnostics.find("t.v4:33:8: error: this jump puts chain C15 16 jumps below") != std::string::npos);
    CHECK(has(run(line_of(17, "-g", true)).diagnostics, "jump-too-deep"));
    CHECK(run(line_of(40, "-j", false)).ok);  // not reached from a base chain: never checked
    // The deepest path counts, though a shorter one reaches the same chain.
    std::string shortcut = line_of(16, "-j", true);
    shortcut.insert(shortcut.find("COMMIT"), "-A INPUT -j C14\n");
    CHECK(has(run(shortcut).diagnostics, "jump-too-deep"));
}

TEST_CASE("matches in hooks the kernel refuses them in, also through user chains") {
    auto owner = run("*filter\n:U - [0:0]\n-A INPUT -j U\n-A U -m owner --uid-owner 0 -j ACCEPT\n"
                     "-A OUTPUT -m owner --uid-owner 0 -j ACCEPT\nCOMMIT\n");
    CHECK(owner.diagnostics.find("t.v4:4:15: error: -m owner is only valid in OUTPUT and POSTROUTING; here it is in "
                                 "chain U, reached from INPUT [match-not-allowed]") != std::string::npos);
    CHECK(owner.diagnostics.find("t.v4:5:") == std::string::npos);  // OUTPUT is fine
    CHECK(has(run("*filter\n-A OUTPUT -m mac --mac-source 00:11:22:33:44:55\nCOMMIT\n").diagnostics,
              "match-not-allowed"));
    auto iface = run("*filter\n:U - [0:0]\n-A OUTPUT -j U\n-A U -m addrtype --dst-type LOCAL --limit-iface-in\nCOMMIT\n");
    CHECK(iface.diagnostics.find("nft refuses `fib ... iif` there") != std::string::npos);
    CHECK(run("*filter\n-A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT\nCOMMIT\n").ok);
    CHECK(run("*raw\n-A PREROUTING -j TRACE\nCOMMIT\n*filter\n-A INPUT -j TRACE\nCOMMIT\n").ok);  // iptables-nft takes both
}
