// What nft's text syntax can write: iptables allows chain names and comments nft cannot read back.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "ir/fields.hpp"

namespace ipt2nft::nft {

// nft's word: a letter, '_' or '.', then letters, digits, '/', '-', '_' or '.'.
bool nft_word_start(char c);
bool nft_word_character(char c);

// Whether nft can write this chain or set name: false for nft keywords (`reject`, `counter`, ...)
// and for names outside nft's word syntax.
bool writable_name(std::string_view name);

// A name nft's syntax holds, near `name`: each character it does not take made '_', a leading one
// it does not take either after a '_', a keyword followed by `suffix`; then a number after it
// until it is not `taken`.
std::string writable_near(std::string_view name, std::string_view suffix,
                          const std::function<bool(std::string_view)>& taken);

// nft's name of the type of an ipset key's field: ipv4_addr, inet_service, ifname, ...
std::string_view key_type_name(Datatype type);
// nft's word for osf's TTL check (`osf ttl loose`): empty for the default, an equal TTL.
std::string_view osf_ttl_name(uint8_t ttl);

// Appends a comment as nft can hold it (without the quotes around it) to `out`: no '"' (nft
// strings have no escapes), at most 127 bytes, cut on a UTF-8 character boundary.
void append_writable_comment(std::string_view text, std::string& out);
constexpr size_t comment_limit = 127;

}  // namespace ipt2nft::nft
