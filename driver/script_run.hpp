// --run: a script run by bash in a sandbox, the firewall programs it calls recorded, not run.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ir/source_manager.hpp"

namespace ipt2nft {

struct ScriptRunOptions {
    std::vector<std::string> arguments;    // $1, $2, ...
    std::vector<std::string> environment;  // NAME=VALUE, beside PATH, HOME, LANG
    int timeout_seconds = 60;
};

// What a run recorded: one line per call (a restore's input after it as a here-document), in
// the order the script made them, each line with the script file and line of its call.
struct RecordedRun {
    std::string text;
    std::vector<LineOrigin> origins;
    // Where in `text` a query (-C, -L CHAIN, -S CHAIN) starts that the recorder answered "not
    // there" without knowing the rules before it.
    std::vector<uint32_t> answered_queries;
};

// Runs the script `text` (from file `name`) with bash in the sandbox; the calls of iptables,
// ip6tables, their -save and -restore forms and of the programs that change the host's network
// (sysctl, modprobe, ip, ...) are recorded instead of run. Names of origins are kept in
// `sources`. nullopt with `error` set when the script cannot run, fails or runs out of time.
std::optional<RecordedRun> record_script_run(const std::string& name, const std::string& text,
                                             const ScriptRunOptions& options, SourceManager& sources,
                                             std::string& error);

}  // namespace ipt2nft
