// Grammar rules of the shell subset a firewall script may use: words, quotes, variables, comments.
#pragma once
#include <tao/pegtl.hpp>

#include "grammar/rules/words.hpp"

namespace ipt2nft::grammar::rules::shell {

namespace pegtl = tao::pegtl;

struct variable_name : pegtl::seq<pegtl::ranges<'a', 'z', 'A', 'Z', '_'>,
                                  pegtl::star<pegtl::ranges<'a', 'z', 'A', 'Z', '0', '9', '_'>>> {};
struct braced_name : variable_name {};
struct brace_close : pegtl::one<'}'> {};
struct braced_variable : pegtl::if_must<pegtl::one<'{'>, braced_name, brace_close> {};
// Taken whole (to its closing quote or parenthesis, or the line's end) so it is reported once.
struct command_substitution
    : pegtl::sor<pegtl::seq<pegtl::one<'$'>, pegtl::one<'('>, pegtl::until<pegtl::sor<pegtl::one<')'>, pegtl::eof>>>,
                 pegtl::seq<pegtl::one<'`'>, pegtl::until<pegtl::sor<pegtl::one<'`'>, pegtl::eof>>>> {};
struct special_parameter
    : pegtl::seq<pegtl::one<'$'>,
                 pegtl::one<'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '@', '*', '#', '?', '-', '$', '!'>> {};
struct variable : pegtl::seq<pegtl::one<'$'>, pegtl::sor<braced_variable, variable_name>> {};
// `$'...'` (with its backslash escapes) and `$"..."`, taken whole so they are reported once.
struct dollar_quote
    : pegtl::seq<pegtl::one<'$'>,
                 pegtl::sor<pegtl::seq<pegtl::one<'\''>,
                                       pegtl::until<pegtl::sor<pegtl::one<'\''>, pegtl::eof>,
                                                    pegtl::sor<pegtl::seq<pegtl::one<'\\'>, pegtl::any>, pegtl::any>>>,
                            pegtl::seq<pegtl::one<'"'>, pegtl::until<pegtl::sor<pegtl::one<'"'>, pegtl::eof>>>>> {};
struct lone_dollar : pegtl::one<'$'> {};

struct sq_body : pegtl::star<pegtl::not_one<'\''>> {};
struct sq_close : pegtl::one<'\''> {};
struct single_quoted : pegtl::if_must<pegtl::one<'\''>, sq_body, sq_close> {};

struct dq_escaped : pegtl::seq<pegtl::one<'\\'>, pegtl::one<'"', '\\', '$', '`'>> {};
struct dq_continuation : line_continuation {};
struct dq_plain : bytes_except<'"', '\\', '$', '`'> {};
struct dq_backslash : pegtl::one<'\\'> {};
struct quoted_variable : variable {};
struct dq_close : pegtl::one<'"'> {};
struct double_quoted
    : pegtl::if_must<pegtl::one<'"'>,
                     pegtl::star<pegtl::sor<dq_escaped, dq_continuation, command_substitution, special_parameter,
                                            quoted_variable, dq_plain, dq_backslash, lone_dollar>>,
                     dq_close> {};

// `{a,b}` and `{1..3}`: bash makes a word of each item, sh (dash) keeps the braces as written.
// `{a}` and `{}` are the same in both. Taken whole so they are reported once.
struct brace_item
    : bytes_except<' ', '\t', '\r', '\n', '{', '}', ',', '"', '\'', '\\', '$', '`', ';', '&', '|', '<', '>', '(', ')'> {
};
struct brace_list : pegtl::seq<pegtl::opt<brace_item>, pegtl::plus<pegtl::one<','>, pegtl::opt<brace_item>>> {};
struct sequence_number : pegtl::seq<pegtl::opt<pegtl::one<'-', '+'>>, pegtl::plus<pegtl::digit>> {};
// Both ends numbers, or both letters (bash keeps `{1..a}` as written); then maybe a step.
struct brace_sequence : pegtl::seq<pegtl::sor<pegtl::seq<sequence_number, TAO_PEGTL_STRING(".."), sequence_number>,
                                              pegtl::seq<pegtl::alpha, TAO_PEGTL_STRING(".."), pegtl::alpha>>,
                                   pegtl::opt<TAO_PEGTL_STRING(".."), sequence_number>> {};
struct brace_expansion : pegtl::seq<pegtl::one<'{'>, pegtl::sor<brace_sequence, brace_list>, pegtl::one<'}'>> {};

struct escaped : pegtl::seq<pegtl::one<'\\'>, pegtl::not_one<'\n'>> {};
struct plain : bytes_except<' ', '\t', '\r', '\n', '\v', '\f', '"', '\'', '\\', '$', '`', ';', '&', '|', '<', '>', '(',
                            ')', '{'> {};
struct lone_brace : pegtl::one<'{'> {};  // a '{' that opens no brace expansion
struct word : pegtl::plus<pegtl::sor<single_quoted, double_quoted, escaped, command_substitution, special_parameter,
                                     dollar_quote, variable, lone_dollar, brace_expansion, plain, lone_brace>> {};

// `2>/dev/null`, `>>log`, `2>&1`, `&>file`, `<<<word`: the command still runs, its input or output
// is elsewhere, so the redirection is read and left out of the command's words.
struct redirection_operator
    : pegtl::sor<TAO_PEGTL_STRING("<<<"), TAO_PEGTL_STRING("&>>"), TAO_PEGTL_STRING("&>"), TAO_PEGTL_STRING(">>"),
                 TAO_PEGTL_STRING(">&"), TAO_PEGTL_STRING("<&"), TAO_PEGTL_STRING(">|"), pegtl::one<'>', '<'>> {};
struct redirection_target : word {};
struct redirection
    : pegtl::seq<pegtl::star<pegtl::digit>, redirection_operator, pegtl::star<pegtl::blank>, redirection_target> {};

struct operator_token : pegtl::sor<TAO_PEGTL_STRING("&&"), TAO_PEGTL_STRING("||"), TAO_PEGTL_STRING(";;"),
                                   pegtl::one<';', '&', '|', '<', '>', '(', ')'>> {};
// `#` starts a comment only where a word could start.
struct comment : pegtl::seq<pegtl::one<'#'>, pegtl::star<pegtl::any>> {};
struct line : pegtl::seq<pegtl::star<pegtl::sor<blanks, comment, redirection, operator_token, word>>, pegtl::eof> {};

}  // namespace ipt2nft::grammar::rules::shell
