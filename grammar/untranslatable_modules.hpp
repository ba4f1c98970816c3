// Why a module iptables knows has no nft translation: nft cannot say what it does.
#pragma once
#include <string>
#include <string_view>

namespace ipt2nft::grammar {

// The reason for a match or target (`is_target`) nft cannot express, with what to do instead;
// for any other module ipt2nft does not translate, that it does not translate it yet.
std::string untranslatable_reason(std::string_view module, bool is_target);

}  // namespace ipt2nft::grammar
