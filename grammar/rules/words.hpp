// Grammar rules shared by both input formats: blanks, counters, identifiers.
#pragma once
#include <array>
#include <tao/pegtl.hpp>

namespace ipt2nft::grammar::rules {

namespace pegtl = tao::pegtl;

// One or more bytes that are none of `Stops`: plus<not_one<Stops...>>, matched with one table
// look-up per byte instead of a comparison per stop byte, for the runs that make up most words.
template <char... Stops>
struct bytes_except {
    using rule_t = bytes_except;
    using subs_t = pegtl::empty_list;

    template <typename ParseInput>
    static bool match(ParseInput& in) {
        static constexpr auto stop = [] {
            std::array<bool, 256> table{};
            ((table[static_cast<unsigned char>(Stops)] = true), ...);
            return table;
        }();
        const char* begin = in.current();
        const char* at = begin;
        while (at != in.end() && !stop[static_cast<unsigned char>(*at)]) ++at;
        if (at == begin) return false;
        in.bump(static_cast<std::size_t>(at - begin));
        return true;
    }
};

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
