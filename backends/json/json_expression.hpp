// Selectors and values as libnftables JSON expressions (libnftables-json(5)).
#pragma once
#include <nlohmann/json.hpp>
#include <string_view>

#include "ir/condition.hpp"

namespace ipt2nft::json {

// A number when `word` is one in decimal, else the string: libnftables reads either by the type
// of the expression it is compared with or assigned to, as nft reads a word of its script.
nlohmann::ordered_json immediate(std::string_view word);

// What a selector loads: {"payload": ...}, {"meta": ...}, {"ct": ...}, ... With `raw`, a
// transport header field as its bits ({"payload": {"base": "th", ...}}).
nlohmann::ordered_json selector(const Selector& s, bool raw = false);

// A value in the selector's type: immediates, {"prefix": ...}, {"range": ...}, {"set": ...},
// {"concat": ...}; several flags of a flag type as a list.
nlohmann::ordered_json value(const Selector& s, const Value& v, bool raw = false);

}  // namespace ipt2nft::json
