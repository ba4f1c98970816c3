// check_encodable: before the JSON is written, the names and texts it cannot hold (JSON strings
// are UTF-8, and nft -j reads no other), and the timeouts (whole seconds in libnftables' JSON),
// are errors at their places. Printing then cannot fail.
#include <fmt/format.h>

#include "backends/json/json_backend.hpp"

namespace ipt2nft::json {

namespace {

// Whether nlohmann writes `text` as it is: UTF-8, which is all a JSON string holds.
bool encodable(std::string_view text) {
    try {
        (void)nlohmann::json(text).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

bool values_encodable(const Value& value) {
    return std::visit(
        [](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, InterfaceName>) return encodable(v.name);
            if constexpr (std::is_same_v<T, ValueSet>)
                return std::all_of(v.elements.begin(), v.elements.end(), values_encodable);
            if constexpr (std::is_same_v<T, Concat>)
                return std::all_of(v.parts.begin(), v.parts.end(), values_encodable);
            return true;
        },
        value.v);
}

// The text a statement writes into the JSON, and what it is: a log prefix, a helper's name.
std::optional<std::pair<std::string_view, const char*>> statement_text(const Statement& s) {
    if (const auto* l = std::get_if<Log>(&s.action); l && l->prefix) return std::pair{*l->prefix, "this log prefix"};
    if (const auto* l = std::get_if<NfLog>(&s.action); l && l->prefix) return std::pair{*l->prefix, "this log prefix"};
    if (const auto* h = std::get_if<CtHelper>(&s.action)) return std::pair{h->helper, "this helper's name"};
    return std::nullopt;
}

void refuse(Diagnostics& diags, Span where, std::string_view what) {
    diags.error(where,
                fmt::format("{} is not UTF-8, and JSON holds no other text: use the nft format, or change it", what),
                "not-utf8");
}

}  // namespace

void check_encodable(const Ruleset& ruleset, Diagnostics& diags) {
    for (const auto& t : ruleset.tables)
        for (const auto& ch : t.chains) {
            if (!encodable(ch.name)) refuse(diags, ch.declared, "this chain's name");
            for (const auto& r : ch.rules) {
                for (const auto& c : r.conditions) {
                    if (const auto* cmp = std::get_if<Compare>(&c.test); cmp && !values_encodable(cmp->value))
                        refuse(diags, c.span, "this interface name");
                    if (const auto* m = std::get_if<Meter>(&c.test); m && m->timeout_ms % 1000)
                        diags.error(c.span,
                                    fmt::format("this hashlimit's entries expire after {} ms, and libnftables' JSON "
                                                "gives a timeout in whole seconds: use the nft format, or a "
                                                "--hashlimit-htable-expire of whole seconds",
                                                m->timeout_ms),
                                    "json-timeout");
                }
                for (const auto& s : r.statements)
                    if (auto text = statement_text(s); text && !encodable(text->first))
                        refuse(diags, s.span, text->second);
                if (r.origin.comment && !encodable(*r.origin.comment))
                    refuse(diags, r.origin.comment_span, "this comment");
            }
        }
}

}  // namespace ipt2nft::json
