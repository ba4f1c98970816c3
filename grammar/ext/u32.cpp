// u32: xt_u32's tests of 32-bit words at fixed offsets from the network header, as nft's raw
// payload tests (`@nh,224,32 & 0xff == 0x1-0x5`); a word found through another (`@`) has none.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

namespace {

// One test as libxt_u32 reads it: `location = values`, the location a number and then operators
// with their numbers.
struct U32Test {
    struct Step {
        char op;  // '&', '<' (<<), '>' (>>), '@'
        uint32_t number;
    };
    uint32_t offset = 0;
    std::vector<Step> steps;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;  // min, max as written (min > max: empty)
};

// Reads `tests := location "=" value {"&&" location "=" value}` as libxt_u32 does: blanks between
// tokens, numbers as strtoul reads them in base 0, at most 10 of each list. An error names the
// character it stopped at, counted from 0 as iptables counts it.
class U32Reader {
public:
    explicit U32Reader(std::string_view text) : text_(text) {}

    std::optional<std::vector<U32Test>> read() {
        std::vector<U32Test> tests;
        do {
            if (tests.size() == most) return fail("too many \"&&\"s");
            U32Test& t = tests.emplace_back();
            if (!number(t.offset, "a location")) return std::nullopt;
            while (!take("=")) {
                char op = take("&") ? '&' : take("<<") ? '<' : take(">>") ? '>' : take("@") ? '@' : '\0';
                if (!op)
                    return fail(at_end() ? "the location has no \"=\" and values" : "expected an operator or \"=\"");
                if (t.steps.size() + 1 == most) return fail("too many operators");
                t.steps.push_back({op, 0});
                if (!number(t.steps.back().number, "a number")) return std::nullopt;
            }
            do {
                if (t.ranges.size() == most) return fail("too many \",\"s");
                auto& [min, max] = t.ranges.emplace_back();
                if (!number(min, "a value")) return std::nullopt;
                max = min;
                if (take(":") && !number(max, "a value")) return std::nullopt;
            } while (take(","));
        } while (take("&&"));
        if (!at_end()) return fail("expected \",\", \"&&\" or the end");
        return tests;
    }

    const std::string& error() const { return error_; }

private:
    static constexpr size_t most = 10;  // XT_U32_MAXSIZE

    void blanks() {
        while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
    }
    bool at_end() {
        blanks();
        return at_ == text_.size();
    }
    bool take(std::string_view token) {
        blanks();
        if (!text_.substr(at_).starts_with(token)) return false;
        at_ += token.size();
        return true;
    }
    std::nullopt_t fail(std::string_view what) {
        error_ = fmt::format("at char {}: {}", at_, what);
        return std::nullopt;
    }
    bool number(uint32_t& out, std::string_view what) {
        blanks();
        size_t end = at_;
        bool hex = text_.substr(at_).starts_with("0x") || text_.substr(at_).starts_with("0X");
        if (hex) end += 2;
        while (end < text_.size() && (hex ? std::isxdigit(static_cast<unsigned char>(text_[end]))
                                          : std::isdigit(static_cast<unsigned char>(text_[end]))))
            ++end;
        auto n = parse_unsigned(text_.substr(at_, end - at_));
        if (!n || *n > UINT32_MAX) {
            fail(fmt::format("expected {}{}", what, n ? " within 32 bits" : ""));
            return false;
        }
        out = static_cast<uint32_t>(*n);
        at_ = end;
        return true;
    }

    std::string_view text_;
    size_t at_ = 0;
    std::string error_;
};

// A location without `@` as nft can test it: the word's bits under `mask`, shifted by `shift`
// (left when positive) into the value xt_u32 compares, every masked bit kept by the shift.
struct MaskedWord {
    uint32_t mask = UINT32_MAX;
    int shift = 0;
};

// The bits of the word that stay within 32 bits after shifting by `shift`.
uint32_t kept_by(int shift) {
    if (shift >= 32 || shift <= -32) return 0;
    return shift >= 0 ? UINT32_MAX >> shift : UINT32_MAX << -shift;
}

MaskedWord masked_word(const std::vector<U32Test::Step>& steps) {
    MaskedWord w;
    for (const auto& s : steps) {
        if (s.op == '&') {
            // The number's bits at the word's places: those shifted out were zero in the value.
            uint64_t back = w.shift >= 0 ? uint64_t{s.number} >> w.shift : uint64_t{s.number} << -w.shift;
            w.mask &= static_cast<uint32_t>(back);
        } else {
            w.shift += s.op == '<' ? static_cast<int>(s.number) : -static_cast<int>(s.number);
            w.shift = std::clamp(w.shift, -32, 32);
            w.mask &= kept_by(w.shift);
        }
    }
    return w;
}

// The masked word's values whose shifted value lies in [min, max]: a range of them, if any.
std::optional<std::pair<uint32_t, uint32_t>> word_range(const MaskedWord& w, uint32_t min, uint32_t max) {
    if (min > max) return std::nullopt;
    uint64_t low = min, high = max;
    if (w.shift > 0) {  // the value is the word shifted left, exactly: divide, rounding inwards
        low = (low + (uint64_t{1} << w.shift) - 1) >> w.shift;
        high >>= w.shift;
    } else if (w.shift < 0) {  // the word's low bits were shifted out, and are zero under the mask
        low <<= -w.shift;
        high <<= -w.shift;
    }
    high = std::min<uint64_t>(high, w.mask);
    if (low > high) return std::nullopt;
    return std::pair{static_cast<uint32_t>(low), static_cast<uint32_t>(high)};
}

// The value list as nft writes it: one number, one range, or a set of them, overlaps joined.
Value word_values(std::vector<std::pair<uint32_t, uint32_t>> ranges) {
    std::sort(ranges.begin(), ranges.end());
    std::vector<std::pair<uint32_t, uint32_t>> joined;
    for (const auto& r : ranges)
        if (!joined.empty() && uint64_t{r.first} <= uint64_t{joined.back().second} + 1)
            joined.back().second = std::max(joined.back().second, r.second);
        else
            joined.push_back(r);
    if (joined.size() == 1) return number_or_range(joined[0].first, joined[0].second);
    ValueSet set;
    for (const auto& [low, high] : joined) set.elements.push_back(number_or_range(low, high));
    return set;
}

// Why a test has no raw payload test of its own, or none.
std::optional<std::string> untranslatable_test(const U32Test& t, size_t i) {
    for (const auto& s : t.steps) {
        if (s.op == '@')
            return fmt::format(
                "test {} reads a word at an offset taken from the packet (\"@\", as a header's length), "
                "which nft's raw payload expressions, at fixed offsets, cannot follow: keep the rule in iptables",
                i + 1);
        if (s.op != '&' && s.number >= 32)
            return fmt::format(
                "test {} shifts by {}, which the kernel's C leaves undefined (x86 shifts by its "
                "remainder modulo 32): write the shift below 32",
                i + 1, s.number);
    }
    if (t.offset > 65532)
        return fmt::format("test {} reads at offset {}: nft's payload offsets end at 65535", i + 1, t.offset);
    return std::nullopt;
}

void lower_u32(const ExtensionUse& use, LowerContext& ctx) {
    const OptionUse* o = use.find("u32");
    if (!o) return;
    const Word& w = o->args[0];
    U32Reader reader(w.text);
    auto tests = reader.read();
    if (!tests) {
        ctx.diags.error(w.span, fmt::format("'{}' is not a u32 test: {}", w.text, reader.error()), "bad-value");
        return;
    }
    // A packet too short for a word fails xt_u32's test, so `!` matches it; nft's load of the
    // word stops the rule there, whichever way it compares.
    if (o->inverted)
        return ctx.untranslatable(use,
                                  "! --u32 matches packets too short for the words it reads, where nft's "
                                  "load of a word beyond the packet stops the rule: keep the rule in iptables");
    for (size_t i = 0; i < tests->size(); ++i)
        if (auto why = untranslatable_test((*tests)[i], i)) return ctx.untranslatable(use, *why);
    for (size_t i = 0; i < tests->size(); ++i) {
        const U32Test& t = (*tests)[i];
        MaskedWord word = masked_word(t.steps);
        std::vector<std::pair<uint32_t, uint32_t>> ranges;
        for (auto [min, max] : t.ranges)
            if (auto r = word_range(word, min, max)) ranges.push_back(*r);
        if (ranges.empty())
            return ctx.untranslatable(use, fmt::format("test {} matches no value its location can have, so the rule "
                                                       "never matches: delete it",
                                                       i + 1));
        if (word.mask == 0)
            return ctx.untranslatable(use, fmt::format("test {} keeps no bit of its word, so it tests only that the "
                                                       "packet holds the word: say that with -m length",
                                                       i + 1));
        std::optional<uint64_t> mask;
        if (word.mask != UINT32_MAX) mask = word.mask;
        ctx.match(Compare{RawPayloadSelector{HeaderBase::network, t.offset * 8, 32}, Op::eq, word_values(ranges), mask},
                  o->span);
    }
}

}  // namespace

extern const Extension u32_match{"u32", {{"u32", 1, true}}, lower_u32, {.needs_one_of = {"u32"}}};

}  // namespace ipt2nft::grammar
