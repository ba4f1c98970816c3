// check_policies: built-in chains take ACCEPT or DROP; user chains take none.
#include <fmt/format.h>

#include "ir/passes/checks.hpp"

namespace ipt2nft {

void check_policies(const Table& table, Diagnostics& diags) {
    for (const auto& ch : table.chains) {
        if (!ch.policy) continue;
        if (ch.builtin && *ch.policy != "ACCEPT" && *ch.policy != "DROP")
            diags.error(ch.policy_span,
                        fmt::format("policy of {} must be ACCEPT or DROP, not '{}'", ch.name, *ch.policy),
                        "bad-policy");
        if (!ch.builtin && *ch.policy != "-")
            diags.error(ch.policy_span,
                        fmt::format("'{}' is a user chain: only built-in chains have a policy (write '-')", ch.name),
                        "policy-on-user-chain");
    }
}

}  // namespace ipt2nft
