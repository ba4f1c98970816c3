// The registry: every extension ipt2nft translates, and the names iptables knows beyond them.
#include <algorithm>
#include <array>

#include "grammar/extension.hpp"
#include "ir/target_names.hpp"

namespace ipt2nft::grammar {

extern const Extension tcp_match, udp_match, icmp_match, icmp6_match, multiport_match, conntrack_match, state_match,
    comment_match, mark_match, connmark_match, limit_match, iprange_match, addrtype_match, mac_match, owner_match,
    pkttype_match, length_match, ttl_match, hl_match, statistic_match, esp_match, ah_match, ecn_match, dscp_match,
    devgroup_match, cpu_match, cgroup_match, connbytes_match, helper_match, sctp_match, dccp_match, time_match,
    realm_match, policy_match, frag_match, rt_match, hbh_match, dst_match, mh_match, tos_match, recent_match,
    connlimit_match, quota_match, rpfilter_match, set_match, hashlimit_match, u32_match, ipcomp_match, tcpmss_match,
    osf_match;
extern const Extension reject_target, log_target, nflog_target, nfqueue_target, trace_target, snat_target, dnat_target,
    masquerade_target, redirect_target, mark_target, connmark_target, notrack_target, ct_target, tcpmss_target,
    classify_target, dscp_target, tos_target, ttl_target, hl_target, ulog_target, audit_target, synproxy_target,
    tee_target, tproxy_target, set_target, netmap_target;

namespace {

const std::array<const Extension*, 50> matches{
    &tcp_match,      &udp_match,       &icmp_match,   &icmp6_match,     &multiport_match, &conntrack_match,
    &state_match,    &comment_match,   &mark_match,   &connmark_match,  &limit_match,     &iprange_match,
    &addrtype_match, &mac_match,       &owner_match,  &pkttype_match,   &length_match,    &ttl_match,
    &hl_match,       &statistic_match, &esp_match,    &ah_match,        &ecn_match,       &dscp_match,
    &devgroup_match, &cpu_match,       &cgroup_match, &connbytes_match, &helper_match,    &sctp_match,
    &dccp_match,     &time_match,      &realm_match,  &policy_match,    &frag_match,      &rt_match,
    &hbh_match,      &dst_match,       &mh_match,     &tos_match,       &recent_match,    &connlimit_match,
    &quota_match,    &rpfilter_match,  &set_match,    &hashlimit_match, &u32_match,       &ipcomp_match,
    &tcpmss_match,   &osf_match};
const std::array<const Extension*, 26> targets{
    &reject_target, &log_target,        &nflog_target,    &nfqueue_target,  &trace_target,    &snat_target,
    &dnat_target,   &masquerade_target, &redirect_target, &mark_target,     &connmark_target, &notrack_target,
    &ct_target,     &tcpmss_target,     &classify_target, &dscp_target,     &tos_target,      &ttl_target,
    &hl_target,     &ulog_target,       &audit_target,    &synproxy_target, &tee_target,      &tproxy_target,
    &set_target,    &netmap_target};

constexpr std::string_view other_matches[] = {"bpf",    "cluster", "connlabel", "eui64",   "ipv6header",
                                              "ipvs",   "nfacct",  "physdev",   "rateest", "socket",
                                              "string", "udplite", "srh",       "l2tp"};
}  // namespace

const Extension* find_match(std::string_view name) {
    for (auto* e : matches)
        if (e->name == name) return e;
    return nullptr;
}

const Extension* find_target(std::string_view name) {
    for (auto* e : targets)
        if (e->name == name) return e;
    return nullptr;
}

bool is_known_iptables_match(std::string_view name) {
    return std::find(std::begin(other_matches), std::end(other_matches), name) != std::end(other_matches);
}

bool is_known_iptables_target(std::string_view name) {
    const auto& names = iptables_target_names();
    return !find_target(name) && std::find(names.begin() + 4, names.end(), name) != names.end();
}

std::vector<std::string_view> all_match_names() {
    std::vector<std::string_view> names;
    for (auto* e : matches) names.push_back(e->name);
    names.insert(names.end(), std::begin(other_matches), std::end(other_matches));
    return names;
}

}  // namespace ipt2nft::grammar
