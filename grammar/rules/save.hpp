// Grammar rules of the iptables-save format: table headers, chain declarations, COMMIT, rule lines.
#pragma once
#include <tao/pegtl.hpp>

#include "grammar/rules/words.hpp"

namespace ipt2nft::grammar::rules::save {

namespace pegtl = tao::pegtl;

struct name : pegtl::plus<pegtl::not_one<' ', '\t', '\r', '\n'>> {};
struct trailing : pegtl::star<blank> {};
struct line_end : pegtl::eof {};

struct table_name : name {};
struct table_line : pegtl::if_must<pegtl::one<'*'>, table_name, trailing, line_end> {};

struct chain_name : name {};
struct policy_name : name {};
struct policy_separator : blanks {};
struct chain_line : pegtl::if_must<pegtl::one<':'>, chain_name, policy_separator, policy_name,
                                   pegtl::opt<blanks, counters>, trailing, line_end> {};

struct commit_keyword : TAO_PEGTL_STRING("COMMIT") {};
// iptables-restore compares the whole line with "COMMIT": blanks after it make a bad argument.
struct commit_end : pegtl::eof {};
struct commit_line : pegtl::if_must<commit_keyword, commit_end> {};

// iptables-restore splits a rule line on blanks. Only double quotes group: a single quote is
// an ordinary byte (`'x'` is the three bytes). Inside them a backslash takes the next byte as it
// is (iptables-save writes `\"` and `\'` there), and the closing quote ends the word: `a"b c"`
// is one word, `"a"b` two (iptables 1.8's add_param_to_argv; seen with iptables-nft-restore).
struct dq_escaped : pegtl::seq<pegtl::one<'\\'>, pegtl::any> {};
struct dq_plain : bytes_except<'"', '\\'> {};
struct dq_close : pegtl::one<'"'> {};
struct double_quoted : pegtl::if_must<pegtl::one<'"'>, pegtl::star<pegtl::sor<dq_escaped, dq_plain>>, dq_close> {};
struct plain : bytes_except<' ', '\t', '\r', '\v', '\f', '"'> {};
struct word : pegtl::sor<pegtl::seq<plain, pegtl::opt<double_quoted>>, double_quoted> {};
// Most words are one unquoted run: taken whole by one rule (its bytes are the word), leaving
// `word` and its pieces to the quoted ones. Same language, fewer steps per word.
struct unquoted_run : bytes_except<' ', '\t', '\r', '\v', '\f', '"'> {};
struct unquoted_word : pegtl::seq<unquoted_run, pegtl::at<pegtl::sor<blank, pegtl::eof>>> {};
struct rule_counters : counters {};
// iptables-restore takes a rule's counters only at the start of the line (seen: ` [1:2] -A ...` is
// "Bad argument `[1:2]'"); blanks may lead the rule itself.
struct rule_line
    : pegtl::seq<pegtl::opt<rule_counters>, pegtl::star<pegtl::sor<blanks, unquoted_word, word>>, pegtl::eof> {};

}  // namespace ipt2nft::grammar::rules::save
