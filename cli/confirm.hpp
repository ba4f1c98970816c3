// apply --confirm: the new rules stay only when confirmed in time; otherwise a keeper process,
// which outlives the terminal session, puts the old tables back.
#pragma once
#include "backends/netlink/batch.hpp"
#include "backends/netlink/kernel_session.hpp"

namespace ipt2nft::cli {

// Starts the keeper, which holds `rollback` and the session's socket. On a terminal it asks
// whether to keep the new rules and returns 0 when told yes, 1 when the old ones came back (a
// "no", no answer in time, or a session that died: the keeper still rolls back). Not on a
// terminal it says how to confirm (`kill -USR1 PID`) and returns 0 at once.
int confirm(netlink::KernelSession& session, const netlink::Batch& rollback, int seconds);

}  // namespace ipt2nft::cli
