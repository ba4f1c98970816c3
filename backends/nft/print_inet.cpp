// --inet: the ip and ip6 tables of one name written as one inet table of the nft script.
#include "backends/nft/print_inet.hpp"

#include <fmt/format.h>

namespace ipt2nft::nft {

namespace {

const char* nfproto_word(Family family) {
    return family == Family::ipv4 ? "ipv4" : "ipv6";
}

void print_chain(const InetChain& c, std::string_view table, std::string& text) {
    text += fmt::format("\tchain {} {{\n", c.name);
    if (c.builtin)
        text += fmt::format("\t\t{} policy {};\n", base_chain_type(table, c.name),
                            c.policy == VerdictKind::drop ? "drop" : "accept");
    for (const InetRule& r : c.rules) {
        text += "\t\t";
        // An untranslated rule is a comment: no guard before it.
        if (r.only && !r.rule->untranslatable()) text += fmt::format("meta nfproto {} ", nfproto_word(*r.only));
        text += r.text;
        text += '\n';
    }
    if (c.dropped) text += fmt::format("\t\tmeta nfproto {} drop\n", nfproto_word(*c.dropped));
    text += "\t}\n";
}

}  // namespace

void print_inet_table(const InetTable& merged, const ScriptOptions& options, std::ostream& out) {
    const std::string& name = merged.v4->name;
    // The iptables-nft tables it replaces go, as the separate translation's would be replaced.
    out << fmt::format("table ip {0}\ndelete table ip {0}\ntable ip6 {0}\ndelete table ip6 {0}\n", name);
    out << fmt::format("table inet {0}\ndelete table inet {0}\ntable inet {0} {{\n", name);
    bool declared = print_declarations({merged.v4, merged.v6}, options, out);
    std::string text;
    for (size_t c = 0; c < merged.chains.size(); ++c) {
        if (c > 0 || declared) text += '\n';
        print_chain(merged.chains[c], name, text);
    }
    out << text << "}\n";
}

}  // namespace ipt2nft::nft
