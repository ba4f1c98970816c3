// Unit tests of the netlink batch: its messages in order with their origins, and what the kernel's
// messages cannot hold (no kernel needed: the batch is built, not sent).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "../translate_helper.hpp"
#include "backends/netlink/batch.hpp"
#include "driver/apply.hpp"

namespace {

struct Built {
    ipt2nft::TranslateResult result;
    ipt2nft::netlink::Batch batch;
    std::string whats;  // each message's origin, "what@line", one a line
    std::string diagnostics;
};

Built build(const std::string& text, ipt2nft::netlink::BatchOptions options = {}) {
    Built b;
    ipt2nft::TranslateRequest request;
    request.inputs.push_back({"t.v4", text});
    request.script.noflush = options.noflush;
    REQUIRE(ipt2nft::kernel_ruleset(request, b.result));
    b.batch = ipt2nft::netlink::build_batch(b.result.ruleset, options, b.result.diags);
    for (const auto& o : b.batch.origins)
        b.whats += (o.span.end > o.span.begin
                        ? fmt::format("{}@{}", o.what, b.result.sources.line_col(o.span.file, o.span.begin).line)
                        : o.what) +
                   "\n";
    for (const auto& d : b.result.diags.all()) b.diagnostics += ipt2nft::render_one(b.result.sources, d);
    return b;
}

}  // namespace

TEST_CASE("a batch replaces each table, then its chains, sets and rules, each message with its line") {
    // Built-in chains no line names are not made, as in the nft script.
    auto b = build(
        "*filter\n:INPUT DROP [0:0]\n:X - [0:0]\n-A INPUT -s 1.1.1.1,2.2.2.2 -j X\n"
        "-A X -m conntrack ! --ctstate NEW -j ACCEPT\nCOMMIT\n");
    CHECK(b.whats ==
          "batch\ntable ip filter@1\ntable ip filter@1\ntable ip filter@1\nchain INPUT@2\nchain X@3\nset of rule@4\n"
          "set element of rule@4\nrule@4\nrule@5\ncommit\n");
    CHECK(b.batch.origin(b.batch.first_sequence + 9)->what == "rule");
    CHECK(b.batch.origin(b.batch.first_sequence + 11) == nullptr);
    CHECK(b.batch.origin(b.batch.first_sequence - 1) == nullptr);
}

TEST_CASE("--check leaves out the end message; --noflush neither deletes the table nor sets an unset policy") {
    auto checked = build("*filter\n-A INPUT -j ACCEPT\nCOMMIT\n", {true, true, false});
    CHECK(checked.whats.ends_with("rule@2\n"));
    auto added = build("iptables -F X\niptables -I INPUT -j ACCEPT\niptables -A OUTPUT -j DROP\n", {true, false, true});
    // -F of a chain the kernel may hold makes it if missing, then empties it; it is declared again
    // with the table's chains, as nft's script declares it.
    CHECK(added.whats ==
          "batch\ntable ip filter@1\nchain X@1\nflush of chain X@1\nchain INPUT@2\nchain OUTPUT@3\nchain X@1\n"
          "rule@3\nrule@2\ncommit\n");
}

TEST_CASE("what a kernel message cannot hold: a rule of more than 128 expressions, a comment past 253 bytes") {
    std::string marks;
    for (int i = 0; i < 70; ++i) marks += fmt::format(" -m mark --mark {}", i);
    auto long_rule = build("*filter\n-A INPUT" + marks + " -j ACCEPT\nCOMMIT\n");
    CHECK(long_rule.result.diags.has_errors());
    CHECK(long_rule.diagnostics.find("t.v4:2:1: error: this rule makes 142 kernel expressions, and nf_tables takes "
                                     "at most 128 in a rule: split it [rule-too-long]") != std::string::npos);
    auto fits = build("*filter\n-A INPUT -m comment --comment " + std::string(253, 'x') + "\nCOMMIT\n");
    CHECK(fits.diagnostics.find("comment-cut") == std::string::npos);
    auto cut = build("*filter\n-A INPUT -m comment --comment " + std::string(254, 'x') + "\nCOMMIT\n");
    CHECK(cut.diagnostics.find("t.v4:2:21: warning: comment longer than the 253 bytes a kernel rule keeps: cut "
                               "[comment-cut]") != std::string::npos);
}
