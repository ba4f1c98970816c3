// ipsets: `ipset save` files and ipset commands read, -m set and -j SET translated, and what nft cannot hold refused.
#include <doctest/doctest.h>

#include "../translate_helper.hpp"
#include "grammar/readers.hpp"

namespace ipt2nft::test {

namespace {

Outcome with_sets(const std::string& sets, const std::string& rules,
                  TranslateRequest::Format format = TranslateRequest::Format::nft) {
    TranslateRequest r;
    r.inputs.push_back({"sets.save", sets});
    r.inputs.push_back({"rules.v4", rules});
    r.format = format;
    return run(std::move(r));
}

std::string filter(const std::string& rules) {
    return "*filter\n" + rules + "COMMIT\n";
}

// The script of sets and rules that translate; their diagnostics fail the test case.
std::string translated(const std::string& sets, const std::string& rules,
                       TranslateRequest::Format format = TranslateRequest::Format::nft) {
    auto o = with_sets(sets, rules, format);
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    return o.script;
}

bool said(const Outcome& o, const std::string& code) {
    return o.diagnostics.find("[" + code + "]") != std::string::npos;
}

}  // namespace

TEST_CASE("an ipset save file is told from iptables-save output and scripts") {
    CHECK(grammar::detect_format("create foo hash:ip family inet hashsize 1024 maxelem 65536\nadd foo 1.2.3.4\n") ==
          grammar::InputFormat::ipset_save);
    CHECK(grammar::detect_format("*filter\n-A INPUT -j ACCEPT\nCOMMIT\n") == grammar::InputFormat::save);
    CHECK(grammar::detect_format("ipset create foo hash:ip\n") == grammar::InputFormat::script);
}

TEST_CASE("each set a table's rules use is declared in it, its key by the set's type and the rule's flags") {
    std::string script = translated(
        "create svc hash:ip,port family inet timeout 60 comment\nadd svc 10.0.0.1,udp:53 timeout 30 comment \"dns\"\n"
        "add svc 10.0.0.1,80\ncreate unused hash:net\nadd unused 10.0.0.0/33\n",
        filter("-A INPUT -m set --match-set svc dst,dst -j ACCEPT\n-A INPUT -m set --match-set svc src,src -j DROP\n"));
    CHECK(script.find("\tset svc {\n\t\ttype ipv4_addr . inet_proto . inet_service\n\t\tflags timeout\n\t\ttimeout "
                      "60s\n\t\telements = { 10.0.0.1 . udp . 53 timeout 30s comment \"dns\",\n\t\t\t     10.0.0.1 . "
                      "tcp . 80 }\n\t}\n") != std::string::npos);
    CHECK(script.find("ip daddr . meta l4proto . th dport @svc counter accept") != std::string::npos);
    CHECK(script.find("ip saddr . meta l4proto . th sport @svc counter drop") != std::string::npos);
    // A set no rule uses is neither declared nor read (its bad element is not reported).
    CHECK(script.find("unused") == std::string::npos);
}

TEST_CASE("SET adds (refreshes with --exist) and deletes; the set becomes dynamic, sized by maxelem") {
    std::string script = translated("create seen hash:ip timeout 300 maxelem 1000\n",
                                    filter("-A INPUT -p tcp --dport 22 -j SET --add-set seen src --exist\n"
                                           "-A INPUT -p tcp --dport 23 -j SET --add-set seen src --timeout 5\n"
                                           "-A INPUT -p tcp --dport 24 -j SET --del-set seen src\n"
                                           "-A INPUT -m set ! --match-set seen src -j DROP\n"));
    CHECK(script.find("flags timeout,dynamic\n\t\ttimeout 300s\n\t\tsize 1000\n") != std::string::npos);
    CHECK(script.find("update @seen { ip saddr }") != std::string::npos);
    CHECK(script.find("add @seen { ip saddr timeout 5s }") != std::string::npos);
    CHECK(script.find("delete @seen { ip saddr }") != std::string::npos);
    CHECK(script.find("ip saddr != @seen counter drop") != std::string::npos);
}

TEST_CASE("hash:net's nomatch exceptions and nested networks become the disjoint intervals that match") {
    std::string script = translated(
        "create n hash:net\nadd n 10.0.0.0/8\nadd n 10.1.0.0/16 nomatch\nadd n 10.1.2.0/24\n"
        "add n 10.0.0.0/16\nadd n 192.168.0.1-192.168.0.10\nadd n 192.168.0.5 nomatch\n",
        filter("-A INPUT -m set --match-set n src -j DROP\n"));
    CHECK(script.find("elements = { 10.0.0.0/16,\n\t\t\t     10.1.2.0/24,\n\t\t\t     10.2.0.0-10.255.255.255,\n"
                      "\t\t\t     192.168.0.1-192.168.0.4,\n\t\t\t     192.168.0.6-192.168.0.10 }") !=
          std::string::npos);
}

TEST_CASE("the whole address space, as a network or a range, with an exception, in both families") {
    std::string v4 = translated("create d hash:net\nadd d 0.0.0.0-255.255.255.255\nadd d 10.0.0.0/8 nomatch\n",
                                filter("-A INPUT -m set --match-set d src\n"));
    CHECK(v4.find("elements = { 0.0.0.0-9.255.255.255,\n\t\t\t     11.0.0.0-255.255.255.255 }") != std::string::npos);
    TranslateRequest r;
    r.inputs.push_back({"sets.save",
                        "create a hash:net family inet6\nadd a ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\n"
                        "create b hash:net family inet6\nadd b ::/0\nadd b 2001:db8::/32 nomatch\n"});
    r.inputs.push_back({"rules.v6", filter("-A INPUT -m set --match-set a src\n-A INPUT -m set --match-set b src\n")});
    auto v6 = run(std::move(r));
    REQUIRE_MESSAGE(v6.ok, v6.diagnostics);
    CHECK(v6.script.find("elements = { ::/0 }") != std::string::npos);
    CHECK(v6.script.find("elements = { ::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff,\n\t\t\t     "
                         "2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff }") != std::string::npos);
}

TEST_CASE("bitmap:port matches TCP and UDP ports alone: its key carries the protocol") {
    std::string script = translated("create p bitmap:port range 0-1024\nadd p 22\nadd p 100-200\n",
                                    filter("-A INPUT -m set --match-set p dst -j ACCEPT\n"));
    CHECK(script.find("elements = { tcp . 22,\n\t\t\t     udp . 22,\n\t\t\t     tcp . 100-200,\n\t\t\t     udp . "
                      "100-200 }") != std::string::npos);
    CHECK(script.find("meta l4proto . th dport @p counter accept") != std::string::npos);
}

TEST_CASE("ipset commands of a script make, fill, flush and destroy sets as ipset would") {
    auto o =
        run("ipset create BAN hash:ip\nipset add BAN 1.2.3.4\nipset -exist create BAN hash:ip\n"
            "ipset add BAN 5.6.7.8\nipset del BAN 1.2.3.4\nipset create OLD hash:ip\nipset destroy OLD\n"
            "iptables -A INPUT -m set --match-set BAN src -j DROP\n");
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    CHECK(o.script.find("elements = { 5.6.7.8 }") != std::string::npos);
    CHECK(o.script.find("OLD") == std::string::npos);
    CHECK(said(run("ipset create BAN hash:ip\nipset create BAN hash:ip\n"), "ipset-exists"));
    CHECK(said(run("ipset add NONE 1.2.3.4\n"), "unknown-ipset"));
    CHECK(said(run("ipset restore < /etc/ipset.conf\n"), "ipset-command"));
    CHECK(said(run("ipset create X hash:nothing\n"), "bad-ipset"));
    // What ipset itself refuses (seen with ipset 7.17).
    CHECK(said(run("ipset create A hash:ip\nipset add A 1.2.3.4 timeout 5\n"), "ipset-refuses"));
    CHECK(said(run("ipset create A hash:ip\nipset add A 1.2.3.4 comment x\n"), "ipset-refuses"));
    CHECK(said(run("ipset create A hash:ip\nipset add A 1.2.3.4\nipset add A 1.2.3.4\n"), "ipset-refuses"));
    CHECK(said(run("ipset create A hash:ip\nipset del A 1.2.3.4\n"), "ipset-refuses"));
    CHECK(run("ipset create A hash:ip\nipset add A 1.2.3.4\nipset -exist add A 1.2.3.4\nipset -! del A 5.6.7.8\n").ok);
    // A command the script lets fail changes nothing, and the script goes on.
    auto goes_on =
        run("ipset create BAN hash:ip\nipset create BAN hash:ip || true\n"
            "iptables -A INPUT -m set --match-set BAN src -j DROP\n");
    CHECK_MESSAGE(goes_on.ok, goes_on.diagnostics);
}

TEST_CASE("a list:set of members of one type is one set of their elements; else it is refused") {
    std::string script = translated(
        "create a hash:net\nadd a 10.0.0.0/8\ncreate b hash:net\nadd b 10.1.0.0/16\nadd b 192.168.0.0/16\n"
        "create l list:set\nadd l a\nadd l b\n",
        filter("-A INPUT -m set --match-set l src -j DROP\n"));
    CHECK(script.find("\tset l {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.0.0.0/8,\n\t\t\t     "
                      "192.168.0.0/16 }") != std::string::npos);
    auto refused = [](const std::string& sets, const std::string& rules) {
        auto outcome = with_sets(sets, filter(rules));
        CHECK_MESSAGE(!outcome.ok, sets);
        CHECK_MESSAGE(said(outcome, "untranslatable-ipset"), outcome.diagnostics);
    };
    const std::string two_types = "create a hash:ip\ncreate b hash:net\ncreate l list:set\nadd l a\nadd l b\n";
    refused(two_types, "-A INPUT -m set --match-set l src\n");
    const std::string one_type = "create a hash:ip\ncreate b hash:ip\ncreate l list:set\nadd l a\nadd l b\n";
    refused(one_type, "-A INPUT -j SET --add-set l src\n");
    refused(one_type, "-A INPUT -j SET --add-set a src\n-A INPUT -m set --match-set l src\n");
}

TEST_CASE("a set nft's syntax cannot name, or named as a recent list of its table, gets another name") {
    auto o =
        run("ipset create reject hash:ip\nipset create BAN hash:ip\n"
            "iptables -A INPUT -m set --match-set reject src -j DROP\n"
            "iptables -A INPUT -m recent --name BAN --rcheck -j DROP\n"
            "iptables -A INPUT -m set --match-set BAN src -j DROP\n");
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    CHECK(o.script.find("ip saddr @reject_set counter drop") != std::string::npos);
    CHECK(o.script.find("ip saddr @BAN_ipset counter drop") != std::string::npos);
    CHECK(o.script.find("\tset BAN_ipset {") != std::string::npos);
    CHECK(said(o, "set-renamed"));
}

TEST_CASE("the JSON declares the same sets") {
    std::string script =
        translated("create svc hash:ip,port\nadd svc 10.0.0.1,udp:53\ncreate n hash:net\nadd n 10.0.0.0/8\n",
                   filter("-A INPUT -m set --match-set svc dst,dst -m set --match-set n src -j ACCEPT\n"),
                   TranslateRequest::Format::json);
    CHECK(script.find("\"type\":[\"ipv4_addr\",\"inet_proto\",\"inet_service\"],\"elem\":[{\"concat\":[\"10.0.0.1\","
                      "\"udp\",53]}]") != std::string::npos);
    CHECK(script.find("\"flags\":[\"interval\"],\"elem\":[{\"prefix\":{\"addr\":\"10.0.0.0\",\"len\":8}}]") !=
          std::string::npos);
}

TEST_CASE("uses xt_set would not make, and sets nft cannot hold as xt_set uses them, are refused where they are") {
    auto refused = [](const std::string& sets, const std::string& rules, const std::string& code) {
        auto o = with_sets(sets, filter(rules));
        CHECK_MESSAGE(!o.ok, rules);
        CHECK_MESSAGE(said(o, code), o.diagnostics);
    };
    refused("create a hash:ip\n", "-A INPUT -m set --match-set b src\n", "unknown-ipset");
    refused("create l list:set\n", "-A INPUT -m set --match-set l src\n", "untranslatable-ipset");
    refused("create a hash:ip family inet6\n", "-A INPUT -m set --match-set a src\n", "ipset-family");
    refused("create a hash:ip,port\n", "-A INPUT -m set --match-set a src\n", "ipset-flags");
    refused("create a hash:ip,port\n", "-A INPUT -m set ! --match-set a src,dst\n", "untranslatable-ipset");
    refused("create a hash:ip netmask 24\n", "-A INPUT -m set --match-set a src\n", "untranslatable-ipset");
    refused("create a hash:net,port\nadd a 10.0.0.0/8,80 nomatch\n", "-A INPUT -m set --match-set a src,dst\n",
            "untranslatable-ipset");
    refused("create a hash:net\n", "-A INPUT -j SET --add-set a src\n", "untranslatable-ipset");
    refused("create a hash:ip,port\n", "-A INPUT -j SET --add-set a src,dst\n", "untranslatable-ipset");
    CHECK(with_sets("create a hash:ip,port\n", filter("-A INPUT -p udp -j SET --add-set a src,dst\n")).ok);
    refused("create a hash:ip,port\nadd a 1.2.3.4,icmp:ping\n", "-A INPUT -m set --match-set a src,dst\n",
            "untranslatable-ipset");
    refused("create a hash:ip\n", "-A INPUT -m set --match-set a src --packets-gt 5\n", "untranslatable");
    refused("create a hash:ip\n", "-A INPUT -j SET --map-set a src --map-mark\n", "untranslatable");
    // One set changed by one table's rules and read by another's: the two nft sets would differ.
    auto split = with_sets("create a hash:ip\n", "*raw\n-A PREROUTING -j SET --add-set a src\nCOMMIT\n" +
                                                     filter("-A INPUT -m set --match-set a src -j DROP\n"));
    CHECK(!split.ok);
    CHECK(split.diagnostics.find("changed by rules of table ip raw and used by table ip filter") != std::string::npos);
}

TEST_CASE("counters: each element counts, from the counts the save file gives; what differs is said") {
    auto o = with_sets(
        "create a hash:ip counters\nadd a 1.2.3.4 packets 5 bytes 500\nadd a 1.2.3.5\n"
        "create n hash:net counters\nadd n 10.0.0.0/8 packets 1 bytes 60\n",
        filter("-A INPUT -m set --match-set a src -j DROP\n-A INPUT -m set ! --match-set a dst\n"
               "-A INPUT -m set --match-set n src -j DROP\n"));
    REQUIRE_MESSAGE(o.ok, o.diagnostics);
    CHECK(o.script.find("\t\tcounter\n\t\telements = { 1.2.3.4 counter packets 5 bytes 500,\n\t\t\t     1.2.3.5 }") !=
          std::string::npos);
    CHECK(said(o, "ipset-counts-differ"));   // the `!` lookup
    CHECK(said(o, "ipset-counts-dropped"));  // merged networks
}

}  // namespace ipt2nft::test
