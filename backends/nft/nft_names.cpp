// nft's reserved words and string limits. The list is what nft 1.0.6 refuses as a chain name (probed with
// `nft add chain`; tests/kernel/reserved_names.py probes again), plus words newer nft releases
// reserve everywhere, so a script we write also loads with those.
#include "backends/nft/nft_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "util/display_width.hpp"

namespace ipt2nft::nft {

namespace {
constexpr std::array reserved = std::to_array<std::string_view>({
    "accept",   "add",      "ah",        "all",         "and",      "arp",      "auto-merge", "bridge",  "cgroup",
    "chain",    "comment",  "comp",      "constant",    "continue", "counter",  "cpu",        "create",  "ct",
    "day",      "dccp",     "define",    "delete",      "describe", "destroy",  "device",     "devices", "dnat",
    "drop",     "dst",      "dup",       "dynamic",     "ecn",      "element",  "elements",   "eq",      "esp",
    "ether",    "exists",   "expires",   "export",      "exthdr",   "fib",      "flags",      "flow",    "flowtable",
    "flush",    "frag",     "fwd",       "gc-interval", "ge",       "geneve",   "get",        "goto",    "gre",
    "gretap",   "gt",       "handle",    "hbh",         "hook",     "hour",     "ibriport",   "ibrname", "icmp",
    "icmpv6",   "igmp",     "iif",       "iifgroup",    "iifname",  "iiftype",  "import",     "include", "index",
    "inet",     "insert",   "interval",  "ip",          "ip6",      "ipsec",    "jhash",      "jump",    "last",
    "le",       "limit",    "list",      "log",         "lshift",   "lt",       "map",        "mark",    "masquerade",
    "meta",     "meter",    "mh",        "missing",     "monitor",  "ne",       "netdev",     "nftrace", "not",
    "notrack",  "numgen",   "obriport",  "obrname",     "offload",  "oif",      "oifgroup",   "oifname", "oiftype",
    "or",       "osf",      "pkttype",   "policy",      "position", "priority", "queue",      "quota",   "random",
    "redefine", "redirect", "reject",    "rename",      "replace",  "reset",    "return",     "rshift",  "rt",
    "rt0",      "rt2",      "rtclassid", "rule",        "ruleset",  "sctp",     "secmark",    "set",     "size",
    "skgid",    "skuid",    "snat",      "socket",      "srh",      "symhash",  "synproxy",   "table",   "tcp",
    "th",       "time",     "timeout",   "tproxy",      "tunnel",   "type",     "typeof",     "udp",     "udplite",
    "undefine", "update",   "vlan",      "vmap",        "vni",      "vxlan",    "xor",        "xt",
});
}  // namespace

bool nft_word_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

bool nft_word_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' || c == '.';
}

bool writable_name(std::string_view name) {
    if (name.empty() || !nft_word_start(name[0])) return false;
    if (!std::all_of(name.begin() + 1, name.end(), nft_word_character)) return false;
    return !std::binary_search(reserved.begin(), reserved.end(), name);
}

std::string writable_near(std::string_view name, std::string_view suffix,
                          const std::function<bool(std::string_view)>& taken) {
    std::string base(name);
    for (char& c : base)
        if (!nft_word_character(c)) c = '_';
    if (!nft_word_start(base[0])) base = "_" + base;
    if (!writable_name(base)) base += suffix;
    std::string candidate = base;
    for (int n = 2; taken(candidate); ++n) candidate = fmt::format("{}{}", base, n);
    return candidate;
}

void append_writable_comment(std::string_view text, std::string& out) {
    // Cut before the character the limit falls in, not through it.
    if (text.size() > comment_limit) text = text.substr(0, character_start(text, comment_limit));
    size_t start = out.size();
    out += text;
    std::replace(out.begin() + static_cast<long>(start), out.end(), '"', '\'');
}

std::string_view osf_ttl_name(uint8_t ttl) {
    return ttl == 1 ? "loose" : ttl == 2 ? "skip" : "";
}

std::string_view key_type_name(Datatype type) {
    switch (type) {
        case Datatype::ipv4_address: return "ipv4_addr";
        case Datatype::ipv6_address: return "ipv6_addr";
        case Datatype::ether_address: return "ether_addr";
        case Datatype::ifname: return "ifname";
        case Datatype::inet_proto: return "inet_proto";
        case Datatype::inet_service: return "inet_service";
        case Datatype::mark: return "mark";
        default: return "integer";
    }
}

}  // namespace ipt2nft::nft
