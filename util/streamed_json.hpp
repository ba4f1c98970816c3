// A JSON document read without holding all of it: the items of chosen arrays handed over one by one.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ipt2nft {

// Where items are taken out: member names, and "*" for every item of an array.
using JsonPattern = std::vector<std::string_view>;

// Given each item the pattern matches, as soon as the item ends, with the array positions the
// pattern's "*"s stand for (outermost first) and the document as read so far (what precedes the
// item in the text). The item is left out of the document.
using JsonItemHandler =
    std::function<void(const std::vector<size_t>& positions, nlohmann::json& item, const nlohmann::json& document)>;

struct JsonStream {
    JsonPattern pattern;
    JsonItemHandler handler;
};

// The document `text` holds, less the items the streams took, which each went to its handler in
// the order they appear. Throws nlohmann::json::exception (a parse_error, with its byte) on text
// that is not JSON, and what a handler throws. Large arrays of small items are read in little memory and without
// building, then freeing, a tree of all of them.
nlohmann::json read_streamed_json(std::string_view text, const std::vector<JsonStream>& streams);

}  // namespace ipt2nft
