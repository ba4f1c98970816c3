// nft's words for operators and statement numbers: one table each, for the script and for JSON.
#include "backends/nft/statement_words.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_nat.h>

#include <iterator>

namespace ipt2nft::nft {

const char* relation_symbol(Op op) {
    switch (op) {
        case Op::eq:
        case Op::masked_eq: return "==";
        case Op::neq:
        case Op::masked_neq: return "!=";
        case Op::lt: return "<";
        case Op::gt: return ">";
        case Op::le: return "<=";
        case Op::ge: return ">=";
        case Op::any_flag:
        case Op::no_flag: break;
    }
    return "";
}

const char* rate_unit(uint64_t period) {
    switch (period) {
        case 60: return "minute";
        case 3600: return "hour";
        case 86400: return "day";
        default: return "second";
    }
}

std::string nft_duration(uint64_t ms) {
    return ms % 1000 ? fmt::format("{}ms", ms) : fmt::format("{}s", ms / 1000);
}

std::string field_number(const Selector& field, uint64_t v) {
    auto* p = std::get_if<PayloadSelector>(&field);
    auto* m = std::get_if<MetaSelector>(&field);
    auto* c = std::get_if<CtSelector>(&field);
    if (p && (p->field == PayloadField::ip_dscp || p->field == PayloadField::ip6_dscp))
        return fmt::format("0x{:02x}", v);
    if (m && m->key == MetaKey::priority) {
        if (v == 0) return "none";
        if (v == 0xffffffff) return "root";
        return fmt::format("{:x}:{:x}", v >> 16, v & 0xffff);
    }
    if (p || (m && m->key == MetaKey::nftrace) || (c && c->key == CtKey::zone)) return std::to_string(v);
    return fmt::format("0x{:x}", v);
}

const char* log_level_name(uint8_t level) {
    static const char* names[] = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit"};
    return names[level <= log_level_audit ? level : 0];
}

std::vector<std::string_view> log_flag_words(uint8_t flags) {
    std::vector<std::string_view> words;
    for (auto [flag, word] : {std::pair{log_tcp_sequence, "tcp sequence"},
                              {log_tcp_options, "tcp options"},
                              {log_ip_options, "ip options"},
                              {log_uid, "skuid"},
                              {log_mac_decode, "ether"}})
        if (flags & flag) words.emplace_back(word);
    return words;
}

std::optional<std::string_view> reject_code_name(Family family, uint8_t code) {
    static const char* icmp[] = {"net-unreachable",
                                 "host-unreachable",
                                 "prot-unreachable",
                                 "port-unreachable",
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 "net-prohibited",
                                 "host-prohibited",
                                 nullptr,
                                 nullptr,
                                 "admin-prohibited"};
    static const char* icmpv6[] = {"no-route",         "admin-prohibited", nullptr,       "addr-unreachable",
                                   "port-unreachable", "policy-fail",      "reject-route"};
    bool v4 = family == Family::ipv4;
    const char* name =
        v4 ? (code < std::size(icmp) ? icmp[code] : nullptr) : (code < std::size(icmpv6) ? icmpv6[code] : nullptr);
    if (!name) return std::nullopt;
    return name;
}

uint8_t default_reject_code(Family family) {
    return family == Family::ipv4 ? 3 : 4;
}

std::vector<std::string_view> nat_flag_words(uint32_t flags) {
    std::vector<std::string_view> words;
    for (auto [flag, word] : {std::pair{NF_NAT_RANGE_PROTO_RANDOM, "random"},
                              {NF_NAT_RANGE_PROTO_RANDOM_FULLY, "fully-random"},
                              {NF_NAT_RANGE_PERSISTENT, "persistent"}})
        if (flags & flag) words.emplace_back(word);
    return words;
}

const char* nat_keyword(NatKind kind) {
    static const char* names[] = {"snat", "dnat", "masquerade", "redirect"};
    return names[static_cast<int>(kind)];
}

}  // namespace ipt2nft::nft
