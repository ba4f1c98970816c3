// A ruleset as one nf_tables netlink batch: every message, and the source each one came from.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/vm/lower_rule.hpp"
#include "ir/diagnostics.hpp"
#include "ir/inet_table.hpp"
#include "ir/ruleset.hpp"

struct nftnl_batch;

namespace ipt2nft::netlink {

// A table of the kernel.
struct TableName {
    uint16_t family;  // NFPROTO_*
    std::string name;
};

// What a message of the batch builds, for the error that names it when the kernel refuses it.
struct MessageOrigin {
    Span span;         // the input's rule, chain declaration or table line
    std::string what;  // "table ip filter", "chain INPUT", "rule", "set of rule"
    // A rule message's rule, for refused_source; the ruleset must outlive the batch.
    const Rule* rule = nullptr;
    std::string_view table{}, chain{};  // the kernel's table and chain it goes to
    uint16_t table_family = 0;          // NFPROTO_* of that table
    Family family = Family::ipv4;       // of the rule's own table in the input
    InetPlace place = InetPlace::none;
};

struct BatchDeleter {
    void operator()(nftnl_batch* b) const;
};

struct Batch {
    std::unique_ptr<nftnl_batch, BatchDeleter> messages;
    uint32_t first_sequence = 0;         // of the batch's begin message
    std::vector<MessageOrigin> origins;  // by sequence number less first_sequence; 0 is the begin
    size_t message_count() const { return origins.size(); }
    const MessageOrigin* origin(uint32_t sequence) const;
};

struct BatchOptions {
    bool counters = true;
    bool check_only = false;  // no end message: the kernel validates, then aborts
    bool noflush = false;     // add to the kernel's tables instead of replacing them
    // The ruleset's generation the batch is for: the kernel refuses it (ERESTART) after another.
    std::optional<uint32_t> generation = std::nullopt;
    // --inet: the ip and ip6 tables of these as their inet tables.
    std::vector<InetTable> inet = {};
};

// Per table, the script's replace: the table made, deleted and made again (with --noflush only
// made if missing, then the input's flushes and deletions of the kernel's chains), its helper
// objects, chains (hook, priority, policy), sets and rules with counters and comments. An inet
// table of `options.inet` replaces the ip and ip6 tables of its name as well. What the
// kernel's messages cannot hold is reported: a rule of too many expressions an error (the batch
// must then not be sent), a comment cut to fit a warning.
Batch build_batch(const Ruleset& ruleset, const BatchOptions& options, Diagnostics& diags);

// The condition or statement a refused rule message's expression at `offset` came from (the
// kernel's extended acknowledgement names the expression by its offset in the message); the
// origin's own span when there is none.
Span refused_source(const MessageOrigin& origin, uint32_t offset, bool counters);

}  // namespace ipt2nft::netlink
