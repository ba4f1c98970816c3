// Chains and sets renamed for nft's syntax: what iptables calls `reject` (OpenWrt's fw3) or
// `dynamic` (Shorewall) nft cannot read as a chain name, nor `--reap` as a set's.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"
#include "util/text_store.hpp"

namespace ipt2nft::nft {

using ChainRenames = std::vector<std::pair<std::string, std::string>>;  // OLD, NEW (--rename-chain)

// Renames the chains `chosen` names, and every other chain nft's syntax cannot hold to a near name
// it can (`reject_chain` for a keyword, '_' for a character nft does not take, a number after it
// if the table has that name), with the jumps and gotos to them; one warning per table lists what
// was renamed. A chain the kernel may hold (--noflush, not made by the input) is
// left alone: check_writable then refuses it. A name in `chosen` no table has is a warning, a new
// name nft cannot write or one its table has an error.
void rename_chains(Ruleset& ruleset, const ChainRenames& chosen, bool noflush, TextStore& store, Diagnostics& diags);

// Renames the sets of recent lists and hashlimits nft's syntax cannot name (iptables takes any name) to a near
// name it can (`counter_set` for a keyword), with one warning per table.
void rename_sets(Ruleset& ruleset, TextStore& store, Diagnostics& diags);

}  // namespace ipt2nft::nft
