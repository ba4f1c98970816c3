// CommandReplayer: applies Commands one at a time, in order, to the Ruleset they leave behind;
// readers stream into it, so no list of all commands is ever held.
#pragma once
#include <memory>

#include "ir/command.hpp"
#include "ir/diagnostics.hpp"
#include "ir/ruleset.hpp"

namespace ipt2nft {

struct ApplyOptions {
    bool noflush = false;       // `*table` blocks add to the table instead of replacing it
    bool chains_exist = false;  // a lone `-c` command: chains it names are taken to exist
    // --noflush output: the script edits the kernel's tables, whose rules this view cannot see.
    bool adds_to_kernel = false;
};

namespace detail {
class Replayer;
}

class CommandReplayer {
public:
    CommandReplayer(Ruleset& ruleset, Diagnostics& diags, const ApplyOptions& options);
    ~CommandReplayer();
    // False when a command the input lets fail (Command::on_failure) failed: it changed nothing.
    bool apply(Command&& command);
    // Later input files are consecutive `iptables-restore --noflush` runs: they add to tables.
    void set_noflush(bool noflush);

private:
    std::unique_ptr<detail::Replayer> impl_;
};

}  // namespace ipt2nft
