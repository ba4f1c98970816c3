// Error messages raised when a grammar rule that must match does not.
#pragma once
#include "grammar/rules/save.hpp"
#include "grammar/rules/shell.hpp"

namespace ipt2nft::grammar {

namespace r = rules;

struct errors {
    template <typename Rule>
    static constexpr const char* message = nullptr;
};

template <>
inline constexpr const char* errors::message<r::packet_count> = "expected a packet count in [packets:bytes]";
template <>
inline constexpr const char* errors::message<r::byte_count> = "expected a byte count in [packets:bytes]";
template <>
inline constexpr const char* errors::message<r::counters_colon> = "expected ':' between packet and byte counts";
template <>
inline constexpr const char* errors::message<r::counters_close> = "expected ']' closing the counters";
template <>
inline constexpr const char* errors::message<r::save::table_name> = "expected a table name after '*'";
template <>
inline constexpr const char* errors::message<r::save::line_end> = "unexpected text after the end of this line";
template <>
inline constexpr const char* errors::message<r::save::commit_end> =
    "nothing may follow COMMIT on its line, not even blanks: iptables-restore then refuses it as a bad argument";
template <>
inline constexpr const char* errors::message<r::save::chain_name> = "expected a chain name after ':'";
template <>
inline constexpr const char* errors::message<r::save::policy_separator> = "expected a policy after the chain name";
template <>
inline constexpr const char* errors::message<r::save::policy_name> = "expected a policy (ACCEPT, DROP or '-')";
template <>
inline constexpr const char* errors::message<r::save::dq_close> = "unterminated double quote";
template <>
inline constexpr const char* errors::message<r::shell::sq_body> = "unterminated single quote";
template <>
inline constexpr const char* errors::message<r::shell::sq_close> = "unterminated single quote";
template <>
inline constexpr const char* errors::message<r::shell::dq_close> = "unterminated double quote";
template <>
inline constexpr const char* errors::message<r::shell::braced_name> =
    "unsupported parameter expansion: only ${NAME} is understood";
template <>
inline constexpr const char* errors::message<r::shell::brace_close> =
    "unsupported parameter expansion: only ${NAME} is understood";

}  // namespace ipt2nft::grammar
