// nft's words for operators and for the numbers statements hold, shared by the script and its JSON form.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/condition.hpp"
#include "ir/statement.hpp"

namespace ipt2nft::nft {

// "==", "!=", "<", ">", "<=", ">=" (a masked test's relation after its mask); "" for flag tests.
const char* relation_symbol(Op op);

// The unit of a rate limit's period in seconds (NFTA_LIMIT_UNIT): second, minute, hour, day.
const char* rate_unit(uint64_t period);

// A duration as nft reads one: whole seconds as `60s`, else milliseconds (`31991ms`).
std::string nft_duration(uint64_t ms);

// A number a statement writes into `field`, as nft writes that field's values (marks in hex,
// a priority as major:minor).
std::string field_number(const Selector& field, uint64_t value);

// The syslog level's name: emerg ... debug.
const char* log_level_name(uint8_t level);

// The log flags set in `flags`, each as libnftables names it: "tcp sequence", "ip options", ...
std::vector<std::string_view> log_flag_words(uint8_t flags);

// nft's name of an ICMP (IPv4) or ICMPv6 code a reject sends, if it has one.
std::optional<std::string_view> reject_code_name(Family family, uint8_t code);

// The ICMP code a bare `reject` sends in the family: port unreachable.
uint8_t default_reject_code(Family family);

// The NAT range flags set in `flags`, by nft's names: random, fully-random, persistent.
std::vector<std::string_view> nat_flag_words(uint32_t flags);

// The NAT statement's keyword: snat, dnat, masquerade, redirect.
const char* nat_keyword(NatKind kind);

}  // namespace ipt2nft::nft
