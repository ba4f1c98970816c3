// The kernel's fixed layout: which tables exist, their built-in chains, hooks and priorities.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ipt2nft {

enum class Hook { prerouting, input, forward, output, postrouting };

struct BuiltinChain {
    std::string_view name;  // iptables name: INPUT, ...
    Hook hook;
    std::string_view type;  // nft chain type: filter, nat, route
    int priority;           // the priority iptables-nft registers
};

const std::vector<std::string_view>& table_names();
// Built-in chains of an iptables table in the order iptables-save lists them; empty if unknown.
const std::vector<BuiltinChain>& builtin_chains(std::string_view table);
const BuiltinChain* find_builtin_chain(std::string_view table, std::string_view chain);
std::string_view hook_name(Hook h);        // nft word: prerouting, input, ...
std::string_view hook_chain_name(Hook h);  // iptables word: PREROUTING, INPUT, ...
// "OUTPUT and POSTROUTING", "PREROUTING, INPUT and FORWARD": for messages.
std::string hook_chain_names(std::span<const Hook> hooks);
// nft's symbolic priority for this table's chain where nft lists one, else nullopt.
std::optional<std::string_view> priority_name(std::string_view table, Hook h);

}  // namespace ipt2nft
