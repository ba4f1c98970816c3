// The target names of iptables 1.8 (its libxt_*/libipt_*/libip6t_* targets and older ones).
#include "ir/target_names.hpp"

namespace ipt2nft {

const std::vector<std::string_view>& iptables_target_names() {
    static const std::vector<std::string_view> names{
        "ACCEPT",   "DROP",        "RETURN",   "QUEUE",     "REJECT",  "LOG",      "NFLOG",       "NFQUEUE",
        "TRACE",    "SNAT",        "DNAT",     "MASQUERADE", "REDIRECT", "MARK",   "CONNMARK",    "NOTRACK",
        "CT",       "TCPMSS",      "CLASSIFY", "DSCP",      "TOS",     "AUDIT",    "CHECKSUM",    "CLUSTERIP",
        "CONNSECMARK", "DNPT",     "ECN",      "HL",        "HMARK",   "IDLETIMER", "LED",        "NETMAP",
        "RATEEST",  "SECMARK",     "SET",      "SNPT",      "SYNPROXY", "TCPOPTSTRIP", "TEE",     "TPROXY",
        "TTL",      "ULOG",        "MIRROR",   "ROUTE",     "IPMARK",  "TARPIT"};
    return names;
}

}  // namespace ipt2nft
