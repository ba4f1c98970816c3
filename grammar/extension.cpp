// Helpers shared by all extensions: option look-up, untranslatable records, suggestions.
#include "grammar/extension.hpp"

#include <fmt/format.h>

namespace ipt2nft::grammar {

const OptionUse* ExtensionUse::find(std::string_view option) const {
    const OptionUse* found = nullptr;
    for (const auto& o : options)
        if (o.def->name == option || o.def->alias_of == option) found = &o;
    return found;
}

std::string ExtensionUse::text() const {
    std::string out;
    for (const auto& o : options) {
        if (!out.empty()) out += ' ';
        if (o.inverted) out += "! ";
        out += "--";
        out += o.def->name;
        for (const auto& a : o.args) {
            out += ' ';
            out += a.text;
        }
    }
    return out;
}

void LowerContext::untranslatable(const ExtensionUse& use, std::string reason) {
    std::string options = use.text();
    action(Untranslatable{fmt::format("{}{}{}: {}", use.name, options.empty() ? "" : " ", options, reason), {}},
           use.span);
}

std::string_view LowerContext::kept_by_iptables(const Word& w, size_t limit, std::string_view what) {
    if (w.text.size() <= limit) return w.text;
    diags.warning(w.span,
                  fmt::format("{} is longer than {} characters: iptables keeps the first {} without a word, and so "
                              "does this translation",
                              what, limit, limit),
                  "text-cut");
    return w.text.substr(0, limit);
}

std::string_view LowerContext::protocol_word() const {
    switch (protocol.value_or(0)) {
        case 6:
        case 17:
        case 33:
        case 132:
        case 136: return protocol_match(*protocol);
        default: return "";
    }
}

}  // namespace ipt2nft::grammar
