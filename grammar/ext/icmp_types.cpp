// ICMP name tables of libipt_icmp and libip6t_icmp6.
#include "grammar/ext/icmp_types.hpp"

#include <string>

#include "grammar/values.hpp"

namespace ipt2nft::grammar {

namespace {
// iptables 1.8's names, with info-request/-reply and the mld names newer versions added.
const IcmpName icmp_table[] = {
    {"any", 0, {}, true},
    {"echo-reply", 0, {}},
    {"pong", 0, {}},
    {"destination-unreachable", 3, {}},
    {"network-unreachable", 3, 0},
    {"host-unreachable", 3, 1},
    {"protocol-unreachable", 3, 2},
    {"port-unreachable", 3, 3},
    {"fragmentation-needed", 3, 4},
    {"source-route-failed", 3, 5},
    {"network-unknown", 3, 6},
    {"host-unknown", 3, 7},
    {"network-prohibited", 3, 9},
    {"host-prohibited", 3, 10},
    {"TOS-network-unreachable", 3, 11},
    {"TOS-host-unreachable", 3, 12},
    {"communication-prohibited", 3, 13},
    {"host-precedence-violation", 3, 14},
    {"precedence-cutoff", 3, 15},
    {"source-quench", 4, {}},
    {"redirect", 5, {}},
    {"network-redirect", 5, 0},
    {"host-redirect", 5, 1},
    {"TOS-network-redirect", 5, 2},
    {"TOS-host-redirect", 5, 3},
    {"echo-request", 8, {}},
    {"ping", 8, {}},
    {"router-advertisement", 9, {}},
    {"router-solicitation", 10, {}},
    {"time-exceeded", 11, {}},
    {"ttl-exceeded", 11, {}},
    {"ttl-zero-during-transit", 11, 0},
    {"ttl-zero-during-reassembly", 11, 1},
    {"parameter-problem", 12, {}},
    {"ip-header-bad", 12, 0},
    {"required-option-missing", 12, 1},
    {"timestamp-request", 13, {}},
    {"timestamp-reply", 14, {}},
    {"info-request", 15, {}},
    {"info-reply", 16, {}},
    {"address-mask-request", 17, {}},
    {"address-mask-reply", 18, {}},
};
const IcmpName icmp6_table[] = {
    {"destination-unreachable", 1, {}},
    {"no-route", 1, 0},
    {"communication-prohibited", 1, 1},
    {"beyond-scope", 1, 2},
    {"address-unreachable", 1, 3},
    {"port-unreachable", 1, 4},
    {"failed-policy", 1, 5},
    {"reject-route", 1, 6},
    {"packet-too-big", 2, {}},
    {"time-exceeded", 3, {}},
    {"ttl-exceeded", 3, {}},
    {"ttl-zero-during-transit", 3, 0},
    {"ttl-zero-during-reassembly", 3, 1},
    {"parameter-problem", 4, {}},
    {"bad-header", 4, 0},
    {"unknown-header-type", 4, 1},
    {"unknown-option", 4, 2},
    {"echo-request", 128, {}},
    {"ping", 128, {}},
    {"echo-reply", 129, {}},
    {"pong", 129, {}},
    {"mld-listener-query", 130, {}},
    {"mld-listener-report", 131, {}},
    {"mld-listener-done", 132, {}},
    {"mld-listener-reduction", 132, {}},
    {"router-solicitation", 133, {}},
    {"router-advertisement", 134, {}},
    {"neighbour-solicitation", 135, {}},
    {"neighbor-solicitation", 135, {}},
    {"neighbour-advertisement", 136, {}},
    {"neighbor-advertisement", 136, {}},
    {"redirect", 137, {}},
};

}  // namespace

IcmpLookup find_icmp_name(std::string_view name, bool v6) {
    IcmpLookup found;
    if (name.empty()) return found;
    auto search = [&](const auto& table) {
        for (const auto& n : table) {
            if (!starts_with_nocase(n.name, name)) continue;
            if (found.match) {
                found.other = &n;
                return;
            }
            found.match = &n;
        }
    };
    v6 ? search(icmp6_table) : search(icmp_table);
    return found;
}

std::vector<std::string_view> icmp_names(bool v6) {
    std::vector<std::string_view> names;
    auto collect = [&](const auto& table) {
        for (const auto& n : table) names.push_back(n.name);
    };
    v6 ? collect(icmp6_table) : collect(icmp_table);
    return names;
}

}  // namespace ipt2nft::grammar
