// DSCP class names and their code points (RFC 2474, 2597, 3246), as libxt_dscp's table has them.
#include "grammar/ext/dscp_classes.hpp"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "grammar/values.hpp"

namespace ipt2nft::grammar {

std::optional<uint8_t> dscp_class(const Word& w, Diagnostics& diags) {
    static const std::pair<std::string_view, uint8_t> classes[] = {
        {"CS0", 0},   {"CS1", 8},   {"CS2", 16},  {"CS3", 24},  {"CS4", 32},  {"CS5", 40},  {"CS6", 48},  {"CS7", 56},
        {"BE", 0},    {"AF11", 10}, {"AF12", 12}, {"AF13", 14}, {"AF21", 18}, {"AF22", 20}, {"AF23", 22}, {"AF31", 26},
        {"AF32", 28}, {"AF33", 30}, {"AF41", 34}, {"AF42", 36}, {"AF43", 38}, {"EF", 46}};
    std::string_view text = w.text;
    for (auto& [name, value] : classes) {
        if (!equals_nocase(name, text.substr(0, name.size()))) continue;
        if (text.size() > name.size())
            diags.warning(
                w.span,
                fmt::format("iptables reads '{}' as class {}, passing over what follows: written so", text, name),
                "lenient-value");
        return value;
    }
    diags.error(w.span, fmt::format("unknown DSCP class '{}'", text), "bad-value");
    return std::nullopt;
}

}  // namespace ipt2nft::grammar
