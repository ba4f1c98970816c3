// The descriptor table against nftables 1.0.6's own rule → payload vectors (../shared): for each
// field a vector compares with a number or an address, our lowering of that comparison must load,
// mask and compare exactly as nft's does (offset, length, byte order).
#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "backends/vm/print_netlink.hpp"
#include "backends/vm/program_builder.hpp"
#include "ir/fields.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ipt2nft;

struct Vector {
    std::string rule;                      // the nft rule, from the block's comment
    std::vector<std::string> expressions;  // its lines, trimmed
};

std::vector<Vector> read_vectors(const fs::path& folder) {
    std::vector<Vector> out;
    for (const char* family : {"ip", "ip6", "inet", "any"})
        for (const auto& entry : fs::directory_iterator(folder / family)) {
            if (entry.path().extension() != ".payload") continue;
            std::ifstream in(entry.path());
            for (std::string line; std::getline(in, line);) {
                if (line.starts_with("# "))
                    out.push_back({line.substr(2), {}});
                else if (line.starts_with("  [") && !out.empty())
                    out.back().expressions.push_back(line.substr(2));
            }
        }
    return out;
}

// The value a vector compares with, when it is a number or an address.
std::optional<Value> literal(const std::string& word) {
    if (word.starts_with("0x")) return Value(std::stoull(word, nullptr, 16));
    if (!word.empty() && word.find_first_not_of("0123456789") == std::string::npos) return Value(std::stoull(word));
    Address a;
    if (inet_pton(AF_INET, word.c_str(), a.bytes.data()) == 1)
        return Value(Prefix{a, mask_of_length(Family::ipv4, 32)});
    a.family = Family::ipv6;
    if (inet_pton(AF_INET6, word.c_str(), a.bytes.data()) == 1)
        return Value(Prefix{a, mask_of_length(Family::ipv6, 128)});
    return std::nullopt;
}

// The lines from the field's load to the first comparison, dependencies before it left out.
std::vector<std::string> tested(const std::vector<std::string>& expressions, const std::string& load) {
    std::vector<std::string> out;
    bool in = false;
    for (const auto& e : expressions) {
        in = in || e.find(load) != std::string::npos;
        if (!in) continue;
        out.push_back(e);
        if (e.starts_with("[ cmp")) break;
    }
    return out;
}

// nft reads a plain value of a bit mask type (`ct state 8`) as "any of these bits".
bool bit_mask_type(const Selector& s) {
    auto* c = std::get_if<CtSelector>(&s);
    auto* p = std::get_if<PayloadSelector>(&s);
    return (c && (c->key == CtKey::state || c->key == CtKey::status)) || (p && p->field == PayloadField::tcp_flags);
}

std::vector<std::string> our_lines(const Selector& selector, const Value& value) {
    vm::ProgramBuilder b{{}, Family::ipv4, std::nullopt, false};
    Op op = bit_mask_type(selector) ? Op::any_flag : Op::eq;
    vm::lower_condition(Condition{Compare{selector, op, value, {}}, {}}, b);
    std::string text;
    vm::print_program(b.program, "ip", "t", "c", text);
    std::vector<std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("  [")) out.push_back(line.substr(2));
    return out;
}

// Every selector the descriptor table knows, with the words nft writes before its value.
std::vector<std::pair<std::string, Selector>> selectors() {
    std::vector<std::pair<std::string, Selector>> out;
    for (int f = 0; f <= static_cast<int>(last_payload_field); ++f) {
        const PayloadDescriptor& d = describe(static_cast<PayloadField>(f));
        if (d.field.empty()) continue;  // no nft word: written as raw bits, which nft's vectors do not name
        out.emplace_back(std::string(d.protocol) + " " + std::string(d.field), PayloadSelector{static_cast<PayloadField>(f)});
    }
    for (int k = 0; k <= static_cast<int>(last_meta_key); ++k)
        out.emplace_back("meta " + std::string(describe(static_cast<MetaKey>(k)).word), MetaSelector{static_cast<MetaKey>(k)});
    for (int k = 0; k <= static_cast<int>(last_ct_key); ++k)
        for (auto [direction, word] : {std::pair{CtDirection::none, ""}, {CtDirection::original, "original "},
                                       {CtDirection::reply, "reply "}})
            out.emplace_back("ct " + std::string(word) + std::string(describe(static_cast<CtKey>(k)).word),
                             CtSelector{static_cast<CtKey>(k), direction});
    return out;
}

}  // namespace

TEST_CASE("the descriptor table loads and compares each field as nftables 1.0.6's vectors do") {
    fs::path folder = fs::path(IPT2NFT_SOURCE_DIR) / ".." / "shared" / "conformance" / "nft-py-v1.0.6";
    if (!fs::is_directory(folder)) {
        MESSAGE("SKIP: " << folder << " is absent: the descriptor table is not checked against nft's vectors");
        return;
    }
    auto vectors = read_vectors(folder);
    size_t checked = 0;
    for (const auto& [words, selector] : selectors()) {
        for (const auto& v : vectors) {
            if (!v.rule.starts_with(words + " ")) continue;
            std::istringstream rest(v.rule.substr(words.size() + 1));
            std::string word;
            rest >> word;
            if (word == "eq") rest >> word;
            auto value = literal(word);
            if (!value) continue;
            // nft reads a number as seconds where the kernel's clock counts nanoseconds.
            if (auto* n = std::get_if<uint64_t>(&value->v); n && selector_datatype(selector) == Datatype::time_date)
                *n *= 1'000'000'000;
            auto ours = our_lines(selector, *value);
            REQUIRE(!ours.empty());
            // The field's own load is the last: protocol tests nft adds come before it.
            auto last_load = std::find_if(ours.rbegin(), ours.rend(),
                                          [](const std::string& e) { return e.find(" load ") != std::string::npos; });
            REQUIRE(last_load != ours.rend());
            std::string load = last_load->substr(0, last_load->find(" =>"));
            INFO("nft rule: " << v.rule);
            CHECK(tested(ours, load) == tested(v.expressions, load));
            ++checked;
            break;
        }
    }
    MESSAGE(checked << " fields checked against nft's vectors");
    CHECK(checked >= 25);
}
