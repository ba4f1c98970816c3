// ipset's commands and `ipset save` files read into the ruleset's sets; their elements read by type.
#pragma once
#include <optional>

#include "grammar/readers.hpp"
#include "grammar/word.hpp"
#include "ir/command.hpp"
#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft::grammar {

// The ipset command whose words start at `first` (after the program's name; 0 for a save file's
// line); nothing for one that changes no set (list, test) or that was refused (reported).
std::optional<Command> parse_ipset_command(const Words& words, size_t first, Diagnostics& diags);

// An `ipset save` file: `create` and `add` lines.
void read_ipset_save(SourceManager& sources, uint32_t file, Diagnostics& diags, const CommandSink& sink);

// Reads the elements of each set a rule uses, by the set's type (an element's text means what
// its type says: `80` is a port or a mark); reports those nft cannot hold.
void read_used_ipset_elements(Ruleset& ruleset, Diagnostics& diags);

// A list:set as the union of its members, whose elements are read: false (reported) when they
// differ in type or family, or in whether their elements time out.
bool merge_list_members(Ipset& list, const std::vector<const Ipset*>& members, Diagnostics& diags);

}  // namespace ipt2nft::grammar
