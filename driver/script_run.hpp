// --run: a script run by bash in a sandbox, the firewall programs it calls recorded, not run.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ir/source_manager.hpp"

namespace ipt2nft {

struct ScriptRunOptions {
    std::vector<std::string> arguments;    // $1, $2, ...
    std::vector<std::string> environment;  // NAME=VALUE, beside PATH, HOME, LANG
    int timeout_seconds = 300;
};

// One call the script made, as a script line the replay reads (a restore's input after it as a
// here-document), each line with the script file and line of the call.
struct RecordedCall {
    std::string text;
    std::vector<LineOrigin> origins;
    std::string program;
    std::vector<std::string> arguments;
};

// Replays a call as iptables would run it and returns the exit status iptables would give.
using CallAnswer = std::function<int(RecordedCall&&)>;

// Runs the script `text` (from file `name`) with bash in the sandbox; each call of iptables,
// ip6tables, their -save and -restore forms and of the programs that change the host's network
// (sysctl, modprobe, ip, ...) is recorded instead of run and handed to `answer` while the script
// waits, in the order the script made them, so that it goes on as it would with iptables.
// Names of origins are kept in `sources`. False with `error` set when the script cannot run,
// fails or runs out of time.
bool run_recorded_script(const std::string& name, const std::string& text, const ScriptRunOptions& options,
                         SourceManager& sources, const CallAnswer& answer, std::string& error);

}  // namespace ipt2nft
