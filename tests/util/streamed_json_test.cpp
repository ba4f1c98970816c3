// streamed_json: chosen arrays' items handed over one by one, in order, and left out of the document.
#include "util/streamed_json.hpp"

#include <doctest/doctest.h>

using ipt2nft::read_streamed_json;
using nlohmann::json;

TEST_CASE("streamed JSON: items of the matched arrays go to their handler, the rest stays") {
    std::vector<std::string> seen;
    auto rules = [&](const std::vector<size_t>& at, json& item, const json& document) {
        seen.push_back(std::to_string(at[0]) + "/" + std::to_string(at[1]) + " " + item.dump() + " " +
                       document["tables"][at[0]]["name"].get<std::string>());
    };
    auto names = [&](const std::vector<size_t>& at, json& item, const json&) {
        seen.push_back("name " + std::to_string(at[0]) + " " + item.dump());
    };
    json rest = read_streamed_json(
        R"({"v": 1, "tables": [{"name": "a", "rules": [[1, 2], {"x": [3]}]}, {"name": "b", "rules": [5]}],
            "names": ["p", "q"], "other": {"rules": [7]}})",
        {{{"tables", "*", "rules", "*"}, rules}, {{"names", "*"}, names}});
    CHECK(seen ==
          std::vector<std::string>{"0/0 [1,2] a", "0/1 {\"x\":[3]} a", "1/0 5 b", "name 0 \"p\"", "name 1 \"q\""});
    CHECK(rest == json::parse(R"({"v": 1, "tables": [{"name": "a", "rules": []}, {"name": "b", "rules": []}],
                                  "names": [], "other": {"rules": [7]}})"));
}

TEST_CASE("streamed JSON: text that is not JSON throws, with the byte where it stops") {
    auto ignore = [](const std::vector<size_t>&, json&, const json&) {};
    CHECK_THROWS_AS(read_streamed_json(R"({"a": [1, 2)", {{{"a", "*"}, ignore}}), json::parse_error);
    size_t byte = 0;
    try {
        read_streamed_json("[1, }", {});
    } catch (const json::parse_error& e) {
        byte = e.byte;
    }
    CHECK(byte == 5);
}
