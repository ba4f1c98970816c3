// check_writable: before anything is printed, what nft's syntax cannot hold is reported: an
// unusable chain name is an error, a changed comment a warning. Printing then cannot fail.
#include <fmt/format.h>

#include "backends/nft/nft_backend.hpp"
#include "backends/nft/nft_names.hpp"

namespace ipt2nft::nft {

void check_writable(const Ruleset& ruleset, Diagnostics& diags) {
    for (const auto& t : ruleset.tables)
        for (const auto& ch : t.chains) {
            if (!ch.builtin && !writable_name(ch.name))
                diags.error(
                    ch.declared,
                    fmt::format("chain name '{}' cannot be written in nft's syntax (an nft keyword or a character "
                                "nft does not allow in a name), and this chain is not renamed: the kernel may hold it "
                                "under that name (--noflush), or --rename-chain chose an unusable name",
                                ch.name),
                    "unwritable-chain-name");
            for (const auto& r : ch.rules) {
                for (const auto& c : r.conditions) {
                    // The kernel allows '"' and backslashes in an interface name. nft's strings cannot
                    // hold a '"', and nft drops the backslashes before a last '*' (they make it a
                    // plain '*', not a wildcard): a name ending in backslash-star, or a prefix ending
                    // in a backslash, cannot be written.
                    auto* cmp = std::get_if<Compare>(&c.test);
                    auto* name = cmp ? std::get_if<InterfaceName>(&cmp->value.v) : nullptr;
                    if (name && name->name.find('"') != std::string_view::npos)
                        diags.error(c.span, "nft's syntax cannot hold '\"' in an interface name",
                                    "unwritable-interface");
                    else if (name && (name->wildcard ? name->name.ends_with('\\') : name->name.ends_with("\\*")))
                        diags.error(c.span,
                                    "nft's syntax cannot hold a '\\' before the last '*' of an interface name, nor "
                                    "at the end of an interface prefix",
                                    "unwritable-interface");
                }
                for (const auto& s : r.statements) {
                    // A changed log prefix would change what log readers (fail2ban, ...) match. nft
                    // reads '$' in a log prefix as the start of a variable, with no escape.
                    std::optional<std::string_view> prefix;
                    if (auto* l = std::get_if<Log>(&s.action)) prefix = l->prefix;
                    if (auto* l = std::get_if<NfLog>(&s.action)) prefix = l->prefix;
                    if (size_t at = prefix ? prefix->find_first_of("\"$") : std::string_view::npos;
                        at != std::string_view::npos)
                        diags.error(s.span,
                                    fmt::format("nft's syntax cannot hold '{}' in a log prefix: change the prefix",
                                                (*prefix)[at]),
                                    "unwritable-prefix");
                }
                if (!r.origin.comment) continue;
                std::string_view text = *r.origin.comment;
                if (text.find('"') != std::string::npos)
                    diags.warning(r.origin.comment_span, "nft comments cannot hold '\"': written as \"'\"",
                                  "comment-changed");
                if (text.size() > comment_limit)
                    diags.warning(r.origin.comment_span,
                                  fmt::format("comment longer than nft's {} bytes: cut", comment_limit), "comment-cut");
            }
        }
}

}  // namespace ipt2nft::nft
