// Renaming chains nft cannot name: the chosen names first, then NAME_chain for the others, each
// table's map said in one warning; and the sets of recent lists nft cannot name.
#include "backends/nft/rename_chains.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "backends/nft/nft_names.hpp"
#include "ir/dynamic_sets.hpp"
#include "ir/meters.hpp"
#include "ir/passes/resolve_ipsets.hpp"

namespace ipt2nft::nft {

namespace {

// Moves chain `from` of `table` to `to`, with the jumps and gotos to it.
void move_chain(Table& table, std::string_view from, std::string_view to) {
    for (auto& chain : table.chains) chain.retarget(from, to);
    table.rename(from, to);
}

}  // namespace

void rename_chains(Ruleset& ruleset, const ChainRenames& chosen, bool noflush, TextStore& store, Diagnostics& diags) {
    for (const auto& choice : chosen) {
        // Named, not bound: clang 14 (the fuzzing build) does not capture structured bindings.
        const std::string &from = choice.first, &to = choice.second;
        bool found = std::any_of(ruleset.tables.begin(), ruleset.tables.end(),
                                 [&](const Table& t) { return t.find(from) && !t.find(from)->builtin; });
        if (!found)
            diags.warning(Span{}, fmt::format("--rename-chain {}={}: no table has a user chain {}", from, to, from),
                          "rename-unused");
        else if (!writable_name(to))
            diags.error(Span{}, fmt::format("--rename-chain {}={}: nft's syntax cannot hold '{}' either", from, to, to),
                        "unwritable-chain-name");
    }
    for (auto& table : ruleset.tables) {
        std::vector<std::string> renamed;
        Span first;
        for (size_t i = 0; i < table.chains.size(); ++i) {
            const Chain& chain = table.chains[i];
            if (chain.builtin) continue;
            auto choice =
                std::find_if(chosen.begin(), chosen.end(), [&](const auto& c) { return c.first == chain.name; });
            if (noflush && !chain.made_here) {
                if (choice != chosen.end())
                    diags.error(chain.declared,
                                fmt::format("--rename-chain {}={}: with --noflush the kernel may hold chain {}, "
                                            "which another name would not address",
                                            chain.name, choice->second, chain.name),
                                "rename-kernel-chain");
                continue;
            }
            if (choice == chosen.end() ? writable_name(chain.name) : !writable_name(choice->second))
                continue;  // nothing to do, or the error said above
            std::string to = choice != chosen.end() ? choice->second
                                                    : writable_near(chain.name, "_chain",
                                                                    [&](std::string_view n) { return table.find(n); });
            if (table.find(to)) {
                diags.error(chain.declared,
                            fmt::format("--rename-chain {}={}: table {} has a chain {} already", chain.name, to,
                                        table.name, to),
                            "rename-taken");
                continue;
            }
            if (renamed.empty()) first = chain.declared;
            renamed.push_back(fmt::format("{} -> {}", chain.name, to));
            move_chain(table, std::string(chain.name), store.keep(to));
        }
        if (!renamed.empty())
            diags.warning(first,
                          fmt::format("chains renamed in table {}, as --rename-chain OLD=NEW asks or for nft's "
                                      "syntax, which cannot name them: {}",
                                      table.name, fmt::join(renamed, ", ")),
                          "chain-renamed");
    }
}

namespace {

// ipsets nft's syntax cannot name (`reject`, `1abc`): renamed in every table (an ipset is the
// namespace's).
void rename_ipsets(Ruleset& ruleset, TextStore& store, Diagnostics& diags) {
    std::set<std::string_view> taken;
    for (const auto& set : ruleset.ipsets) taken.insert(set->name);
    std::unordered_map<std::string_view, std::string_view> renames;
    for (const auto& table : ruleset.tables) {
        if (table.ipsets.empty()) continue;  // a renamed set stands only where it is declared
        std::vector<DynamicSet> lists = dynamic_sets(table);
        for (const DynamicSet& list : lists) taken.insert(list.name);
        for (const DeclaredIpset& declared : table.ipsets) {
            std::string_view name = declared.set->name;
            if (renames.count(name) || writable_name(name)) continue;
            std::string_view to =
                store.keep(writable_near(name, "_set", [&](std::string_view n) { return taken.count(n) > 0; }));
            taken.insert(to);
            renames[name] = to;
        }
    }
    for (const auto& set : ruleset.ipsets)
        if (auto renamed = renames.find(set->name); renamed != renames.end())
            diags.warning(
                set->declared,
                fmt::format("set {} renamed {} for nft's syntax, which cannot name it", set->name, renamed->second),
                "set-renamed");
    rename_ipsets(ruleset, renames);
}

}  // namespace

void rename_sets(Ruleset& ruleset, TextStore& store, Diagnostics& diags) {
    rename_ipsets(ruleset, store, diags);
    for (auto& table : ruleset.tables) {
        // The sets of recent lists and connection counts, then of hashlimits.
        std::vector<std::string_view> names;
        for (const DynamicSet& set : dynamic_sets(table)) names.push_back(set.name);
        for (const MeterSet& set : meter_sets(table)) names.push_back(set.meter->name);
        auto taken = [&](std::string_view n) {
            return std::find(names.begin(), names.end(), n) != names.end() ||
                   std::any_of(table.ipsets.begin(), table.ipsets.end(),
                               [&](const DeclaredIpset& d) { return d.set->name == n; });
        };
        std::map<std::string_view, std::string_view> renames;
        std::vector<std::string> said;
        for (size_t i = 0, given = names.size(); i < given; ++i) {
            std::string_view name = names[i];
            if (writable_name(name) || renames.count(name)) continue;
            std::string_view to = store.keep(writable_near(name, "_set", taken));
            said.push_back(fmt::format("{} -> {}", name, to));
            renames[name] = to;
            names.push_back(to);  // taken from now on
        }
        if (renames.empty()) continue;
        Span first;
        for (auto& chain : table.chains)
            for (auto& rule : chain.rules)
                for (auto& c : rule.conditions) {
                    std::string_view* name = nullptr;
                    if (auto* t = std::get_if<SetTest>(&c.test)) name = &t->set;
                    if (auto* m = std::get_if<Meter>(&c.test)) name = &m->name;
                    if (!name || !renames.count(*name)) continue;
                    if (first.end == first.begin) first = c.span;
                    *name = renames[*name];
                }
        diags.warning(first,
                      fmt::format("sets renamed in table {} for nft's syntax, which cannot name them: {}", table.name,
                                  fmt::join(said, ", ")),
                      "set-renamed");
    }
}

}  // namespace ipt2nft::nft
