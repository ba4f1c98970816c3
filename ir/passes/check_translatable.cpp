// check_translatable: rules nft cannot express are errors, or warnings when the user allows
// them to be written as comments; never dropped silently.
#include <fmt/format.h>

#include "ir/passes/checks.hpp"

namespace ipt2nft {

size_t check_translatable(const Table& table, bool allow_untranslated, Diagnostics& diags) {
    size_t count = 0;
    for (const auto& ch : table.chains)
        for (const auto& r : ch.rules)
            for (const auto& s : r.statements) {
                const auto* u = std::get_if<Untranslatable>(&s.action);
                if (!u) continue;
                ++count;
                std::string message = "cannot translate " + u->what;
                if (allow_untranslated)
                    diags.warning(s.span, message + "; emitted as a comment", "untranslatable");
                else
                    diags.error(s.span, message + " (--allow-untranslated emits such rules as comments)",
                                "untranslatable");
            }
    return count;
}

}  // namespace ipt2nft
