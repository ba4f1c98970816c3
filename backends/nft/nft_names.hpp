// Which chain names nft's text syntax can write: iptables allows names nft cannot read back.
#pragma once
#include <string_view>

namespace ipt2nft::nft {

// False for nft keywords (`reject`, `counter`, ...) and for names outside nft's word syntax.
bool writable_chain_name(std::string_view name);

}  // namespace ipt2nft::nft
