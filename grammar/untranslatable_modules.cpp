// The modules nft cannot express, each with the reason and what to do instead.
#include "grammar/untranslatable_modules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace ipt2nft::grammar {

namespace {

struct Reason {
    std::string_view module;
    bool is_target;
    std::string_view why;
};

constexpr std::array<Reason, 20> reasons{{
    {"string", false,
     "nft has no match on the content of a packet's payload (xt_string's search of a text or bytes): nft "
     "cannot say this rule; keep it in iptables, or match the payload's fixed offsets with raw payload "
     "expressions (@th,OFFSET,LENGTH) where the text has a fixed place"},
    {"nfacct", false,
     "nfacct counts into an accounting object made outside the ruleset (`nfacct add NAME`), and matches by its "
     "quota when it has one, which the ruleset does not say: nft's named counter (`counter name NAME`) or "
     "quota (`quota name NAME`) holds the same; choose and write it in nft"},
    {"rateest", false, "nft has no rate estimator to compare with: nft cannot say this rule"},
    {"RATEEST", true, "nft has no rate estimator to feed: nft cannot say this rule"},
    {"CHECKSUM", true,
     "nft has no statement that fills in a checksum; --checksum-fill worked around old DHCP clients that "
     "dropped offloaded packets on virtual networks: leave the rule out"},
    {"IDLETIMER", true,
     "nft has no idle timer (a sysfs file that says when no packet came for a while): nft cannot "
     "say this rule"},
    {"LED", true, "nft cannot light an LED on packets: nft cannot say this rule"},
    {"cluster", false,
     "xt_cluster hashes a connection that has a master (an FTP data connection, a helper's expectation) by its "
     "master's source address, and turns a multicast frame's packet type to host before matching any; nft's "
     "`jhash ct original saddr` hashes the connection's own address, and `meta pkttype set host` changes only the "
     "packets the rule matched (iptables-translate's line also numbers --cluster-local-node from 1 where the "
     "hash counts from 0): nft cannot say this rule"},
    {"socket", false,
     "xt_socket also matches a packet whose socket is a handshake's request or in TIME_WAIT (it checks the "
     "wildcard address of full sockets only, and restores --restore-skmark's mark from those alone), where nft's "
     "`socket wildcard` and `socket mark` stop the rule on such a socket: keep the rule in iptables, or write "
     "`socket transparent 0-1` (any socket) in nft where --nowildcard says the same"},
    {"CLUSTERIP", true,
     "the kernel refuses CLUSTERIP from nf_tables (iptables-nft cannot load it either) and removed it in "
     "2023: use the cluster match instead"},
    {"physdev", false,
     "xt_physdev reads the bridge ports br_netfilter recorded for a bridged packet; nft's ip and ip6 tables "
     "have no expression for them: match the ports in an nft bridge table (`table bridge ...`, `iifname`), "
     "which sees them, or keep the rule in iptables"},
    {"eui64", false,
     "ip6t_eui64 compares the source address's interface identifier with the one made from the source MAC "
     "(EUI-64), and nft cannot compute one field from another: nft cannot say this rule"},
    {"bpf", false,
     "nft runs no BPF programs (classic or pinned eBPF): keep the rule in iptables, or attach the program "
     "with tc"},
    {"ipv6header", false,
     "ip6t_ipv6header tests the whole set of extension headers a packet has (or, with --soft, any of them), "
     "which nft's tests of one header each (`exthdr frag exists`) cannot say together: write those tests "
     "where one header is meant, or keep the rule in iptables"},
    {"l2tp", false,
     "ipt2nft does not translate l2tp: its tunnel and session ids lie at offsets that depend on the L2TP "
     "version and flags, which nft's raw payload expressions cannot follow; keep the rule in iptables"},
    {"srh", false,
     "ipt2nft does not translate srh yet (nft's `srh` expression tests the flags, tag and segments of the "
     "segment routing header); keep the rule in iptables meanwhile"},
    {"SECMARK", true,
     "ipt2nft does not translate SECMARK yet: nft's secmark object (`secmark NAME { \"CONTEXT\" }`, applied by "
     "`meta secmark set \"NAME\"`) is the nearest; the kernel takes it, as xt_SECMARK, only where SELinux or "
     "another module with security contexts runs; keep the rule in iptables meanwhile"},
    {"CONNSECMARK", true,
     "nft copies a security mark between packet and connection only whole (`ct secmark set meta secmark`, `meta "
     "secmark set ct secmark`) and refuses to compare one with a number, where --save copies only a packet's "
     "nonzero mark to a connection that has none, and --restore only into a packet that has none: keep the rule "
     "in iptables"},
    {"SAME", true,
     "the kernel no longer has the SAME target, which SNAT and DNAT with --persistent replaced: write those, "
     "which translate"},
    {"HMARK", true,
     "xt_HMARK hashes its fields ordered so that both directions of a flow hash alike, with its own seed; "
     "nft's jhash takes the fields as they are and symhash all of them: no nft statement gives the same "
     "marks"},
}};

}  // namespace

std::string untranslatable_reason(std::string_view module, bool is_target) {
    auto known = std::find_if(reasons.begin(), reasons.end(),
                              [&](const Reason& r) { return r.module == module && r.is_target == is_target; });
    if (known != reasons.end()) return std::string(known->why);
    return fmt::format("the {} {} has no nft translation in ipt2nft", module, is_target ? "target" : "match");
}

}  // namespace ipt2nft::grammar
