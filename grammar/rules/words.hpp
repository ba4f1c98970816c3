// Grammar rules shared by both input formats: blanks, counters, identifiers.
#pragma once
#include <tao/pegtl.hpp>

namespace ipt2nft::grammar::rules {

namespace pegtl = tao::pegtl;

// A backslash-newline joins physical lines into one logical line; it reads as a blank.
struct line_continuation : pegtl::seq<pegtl::one<'\\'>, pegtl::opt<pegtl::one<'\r'>>, pegtl::one<'\n'>> {};
struct blank : pegtl::sor<pegtl::one<' ', '\t', '\r', '\v', '\f'>, line_continuation> {};
struct blanks : pegtl::plus<blank> {};

struct count_digits : pegtl::plus<pegtl::digit> {};
struct packet_count : count_digits {};
struct byte_count : count_digits {};
// `[packets:bytes]` as iptables-save -c writes it.
struct counters_colon : pegtl::one<':'> {};
struct counters_close : pegtl::one<']'> {};
struct counters : pegtl::if_must<pegtl::one<'['>, packet_count, counters_colon, byte_count, counters_close> {};

}  // namespace ipt2nft::grammar::rules
