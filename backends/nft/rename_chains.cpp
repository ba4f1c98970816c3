// Renaming chains nft cannot name: the chosen names first, then NAME_chain for the others, each
// table's map said in one warning.
#include "backends/nft/rename_chains.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "backends/nft/nft_names.hpp"

namespace ipt2nft::nft {

namespace {

// Moves chain `from` of `table` to `to`, with the jumps and gotos to it.
void move_chain(Table& table, std::string_view from, std::string_view to) {
    for (auto& chain : table.chains) chain.retarget(from, to);
    table.rename(from, to);
}

// A name nft's syntax holds, near `name`: each character it does not take made '_', a leading one
// it does not take either after a '_', a keyword followed by "_chain"; then a number after it
// until the table has no chain of that name.
std::string free_name(const Table& table, std::string_view name) {
    std::string base(name);
    for (char& c : base)
        if (!nft_word_character(c)) c = '_';
    if (!nft_word_start(base[0])) base = "_" + base;
    if (!writable_chain_name(base)) base += "_chain";
    std::string candidate = base;
    for (int n = 2; table.find(candidate); ++n) candidate = fmt::format("{}{}", base, n);
    return candidate;
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
        else if (!writable_chain_name(to))
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
            if (choice == chosen.end() ? writable_chain_name(chain.name) : !writable_chain_name(choice->second))
                continue;  // nothing to do, or the error said above
            std::string to = choice != chosen.end() ? choice->second : free_name(table, chain.name);
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

}  // namespace ipt2nft::nft
