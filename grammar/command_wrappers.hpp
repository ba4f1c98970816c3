// Programs that run the rest of their line as a command (sudo, env, ...): which word really runs.
#pragma once
#include <optional>
#include <string>

#include "grammar/word.hpp"

namespace ipt2nft::grammar {

struct ProgramRun {
    size_t index = 0;  // the program's word; the command's size when the wrappers run none
    // A wrapper whose options ipt2nft cannot read, or that runs its command in another network
    // namespace: what the line does to this ruleset cannot be told.
    struct Refusal {
        Span at;
        std::string why;
        const char* code;
    };
    std::optional<Refusal> refused;
    bool replaces_shell = false;  // `exec`: nothing after this command runs
};

// Past the shell's `A=b` prefix, `sudo -u root`, `env A=b`, `nice -n 5`, `timeout 10`, `command`, `exec`,
// `xtables-nft-multi` and the like, nested in any order.
ProgramRun program_run(const Words& command);

}  // namespace ipt2nft::grammar
