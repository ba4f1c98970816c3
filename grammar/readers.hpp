// Readers: whole inputs (save files, command scripts, one command) to Commands.
#pragma once
#include <functional>
#include <optional>

#include "ir/command.hpp"
#include "ir/diagnostics.hpp"
#include "ir/source_manager.hpp"

namespace ipt2nft::grammar {

enum class InputFormat { save, script, ipset_save };

InputFormat detect_format(std::string_view text);
// What a file's text says of its family, each piece apart, with where it says it (a byte offset):
// a save header naming the program that wrote it, and the rules' own words (addresses, IPv6-only
// syntax) when they are all of one family.
struct FamilyEvidence {
    std::optional<Family> header;
    std::string_view header_program;  // "ip6tables-nft-save"
    size_t header_at = 0;
    std::optional<Family> content;
    size_t content_at = 0;  // the first word of that family
};
FamilyEvidence family_evidence(std::string_view text);

// Receives each command as soon as it is read: a large ruleset is never held twice.
// Takes each command in order; returns false when a command the input lets fail (`|| true`,
// `-C` before `||` or `&&`) failed.
using CommandSink = std::function<bool(Command&&)>;

// Reports the first NUL or other control byte (tab, CR, LF, VT, FF are text) in `line`, the
// text at file offset `offset`; true when there is one.
bool reject_binary(std::string_view line, uint32_t file, uint32_t offset, Diagnostics& diags);
// A file holding a NUL byte is no text at all (an executable, a capture): one error at the first,
// and true, so that it is not read line by line into an error per line.
bool reject_binary_file(std::string_view text, uint32_t file, Diagnostics& diags);

// How a save file is cut into batches of whole lines, read on worker threads and replayed in
// order. What comes out never depends on it; tests vary it to show that.
struct SaveFileSplit {
    size_t batch_bytes = 64 * 1024;
    size_t threads = 0;  // 0: one per hardware thread
};

// The part of a file that is save-file text, and how it is restored: a whole save file, or the
// here-document an `iptables-restore [-n] <<EOF` line of a script reads.
struct SaveRun {
    size_t begin = 0, end = SIZE_MAX;  // bytes of the file's text
    bool noflush = false;              // iptables-restore --noflush: blocks add to their tables
    // iptables-restore without --counters sets every count to zero; a file to translate keeps them.
    bool counters = true;
    // iptables-restore --table: the blocks of other tables are passed over unread (seen: errors
    // and a missing COMMIT in them go unnoticed).
    std::optional<std::string_view> only_table = std::nullopt;
};

void read_save_file(SourceManager& sources, uint32_t file, Family family, Diagnostics& diags, const CommandSink& sink,
                    SaveFileSplit split = {}, SaveRun run = {});
// `family` forced by -4/-6 applies to every command; otherwise each command's program name decides.
void read_script(SourceManager& sources, uint32_t file, std::optional<Family> forced, Diagnostics& diags,
                 const CommandSink& sink);

}  // namespace ipt2nft::grammar
