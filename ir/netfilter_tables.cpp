// Tables, hooks and priorities as iptables-nft registers them (checked against a kernel in tests).
#include "ir/netfilter_tables.hpp"

#include <map>

namespace ipt2nft {

const std::vector<std::string_view>& table_names() {
    static const std::vector<std::string_view> names{"filter", "nat", "mangle", "raw", "security"};
    return names;
}

const std::vector<BuiltinChain>& builtin_chains(std::string_view table) {
    static const std::map<std::string_view, std::vector<BuiltinChain>> chains{
        {"filter",
         {{"INPUT", Hook::input, "filter", 0},
          {"FORWARD", Hook::forward, "filter", 0},
          {"OUTPUT", Hook::output, "filter", 0}}},
        {"nat",
         {{"PREROUTING", Hook::prerouting, "nat", -100},
          {"INPUT", Hook::input, "nat", 100},
          {"OUTPUT", Hook::output, "nat", -100},
          {"POSTROUTING", Hook::postrouting, "nat", 100}}},
        // mangle OUTPUT is a route chain: a changed mark or address re-routes the packet.
        {"mangle",
         {{"PREROUTING", Hook::prerouting, "filter", -150},
          {"INPUT", Hook::input, "filter", -150},
          {"FORWARD", Hook::forward, "filter", -150},
          {"OUTPUT", Hook::output, "route", -150},
          {"POSTROUTING", Hook::postrouting, "filter", -150}}},
        {"raw", {{"PREROUTING", Hook::prerouting, "filter", -300}, {"OUTPUT", Hook::output, "filter", -300}}},
        {"security",
         {{"INPUT", Hook::input, "filter", 50},
          {"FORWARD", Hook::forward, "filter", 50},
          {"OUTPUT", Hook::output, "filter", 50}}},
    };
    static const std::vector<BuiltinChain> none;
    auto it = chains.find(table);
    return it == chains.end() ? none : it->second;
}

const BuiltinChain* find_builtin_chain(std::string_view table, std::string_view chain) {
    for (const auto& c : builtin_chains(table))
        if (c.name == chain) return &c;
    return nullptr;
}

std::string_view hook_name(Hook h) {
    switch (h) {
        case Hook::prerouting: return "prerouting";
        case Hook::input: return "input";
        case Hook::forward: return "forward";
        case Hook::output: return "output";
        case Hook::postrouting: return "postrouting";
    }
    return "";
}

std::string_view hook_chain_name(Hook h) {
    switch (h) {
        case Hook::prerouting: return "PREROUTING";
        case Hook::input: return "INPUT";
        case Hook::forward: return "FORWARD";
        case Hook::output: return "OUTPUT";
        case Hook::postrouting: return "POSTROUTING";
    }
    return "";
}

std::string hook_chain_names(std::span<const Hook> hooks) {
    std::string out;
    for (size_t i = 0; i < hooks.size(); ++i) {
        if (i) out += i + 1 == hooks.size() ? " and " : ", ";
        out += hook_chain_name(hooks[i]);
    }
    return out;
}

// nft prints `dstnat` only at prerouting and `srcnat` only at postrouting; nat input/output
// priorities are listed as numbers, so we print them the same way.
std::optional<std::string_view> priority_name(std::string_view table, Hook h) {
    if (table == "filter") return "filter";
    if (table == "raw") return "raw";
    if (table == "mangle") return "mangle";
    if (table == "security") return "security";
    if (table == "nat" && h == Hook::prerouting) return "dstnat";
    if (table == "nat" && h == Hook::postrouting) return "srcnat";
    return std::nullopt;
}

}  // namespace ipt2nft
