// The translate pipeline, as one list: read → replay → check → print.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "backends/nft/nft_backend.hpp"
#include "backends/nft/rename_chains.hpp"
#include "driver/script_run.hpp"
#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"
#include "ir/source_manager.hpp"

namespace ipt2nft {

struct TranslateInput {
    std::string name;
    std::string text;
};

struct TranslateRequest {
    std::vector<TranslateInput> inputs;  // one ruleset, in order, like consecutive restores
    std::optional<Family> family;        // -4 / -6
    nft::ScriptOptions script;
    // What is written: the nft script, its libnftables JSON form, the kernel's expression
    // programs in nft's `--debug=netlink` text, the IR as text, or the compiled ruleset that sim
    // and test read (the kernel's ruleset, as apply sends it: no script to write).
    enum class Format { nft, json, netlink, ir, sim } format = Format::nft;
    // --run: scripts are run in a sandbox and the commands they call read, not their text.
    std::optional<ScriptRunOptions> run;
    // Chains written under other names (--rename-chain), beside those nft cannot name.
    nft::ChainRenames chain_renames;
    // --external-set: sets the kernel's tables hold already, each as `ipset create` describes it
    // (NAME TYPE [OPTIONS]); rules may name them, and nothing declares them.
    std::vector<std::string> external_ipsets;
    // Every kernel rule is held in memory, up to a kilobyte each with its own address pair: a
    // few megabytes of lines that each list dozens of sources and destinations would otherwise
    // take all of it. Far above real rulesets (kube-proxy with 10,000 services makes 165,000).
    size_t most_kernel_rules = 2'000'000;
};

struct TranslateResult {
    SourceManager sources;
    Diagnostics diags;
    Ruleset ruleset;          // as replayed: the caller decides when its memory goes
    bool ok = false;          // no errors: the whole script was written
    size_t untranslated = 0;  // rules written as comments (with --allow-untranslated)
};

// Reads the inputs, replays them into `result.ruleset` and runs the checks, reporting into
// `result.diags`; returns the number of untranslatable rules. What every backend starts from.
size_t build_ruleset(TranslateRequest& request, TranslateResult& result);

// What apply sends and sim runs: the input's ruleset, built and checked as translate builds it
// (an untranslatable rule is an error: the kernel cannot run it), each rule one kernel rule.
// False, with the errors in `result`, when there is none.
bool kernel_ruleset(TranslateRequest& input, TranslateResult& result);


// Writes the script to `out` only once every check has passed, so `out` never holds half a
// script: on errors nothing is written.
TranslateResult translate(TranslateRequest request, std::ostream& out);

// One iptables command, printed as iptables-translate does: `nft 'add rule ip filter INPUT ...'`;
// or the table it makes, as the kernel's programs or the IR.
TranslateResult translate_command(const std::string& command, std::optional<Family> family,
                                  const nft::ScriptOptions& script, TranslateRequest::Format format, std::ostream& out);

}  // namespace ipt2nft
