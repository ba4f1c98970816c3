// What nft's text syntax can write: iptables allows chain names and comments nft cannot read back.
#pragma once
#include <string>
#include <string_view>

namespace ipt2nft::nft {

// False for nft keywords (`reject`, `counter`, ...) and for names outside nft's word syntax.
bool writable_chain_name(std::string_view name);

// A comment as nft can hold it: no '"' (nft strings have no escapes), at most 127 bytes, cut
// on a UTF-8 character boundary.
std::string writable_comment(std::string_view text);
constexpr size_t comment_limit = 127;

}  // namespace ipt2nft::nft
