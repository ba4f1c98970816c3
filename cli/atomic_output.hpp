// A file written whole or not at all: the output goes beside it and is renamed over it when complete.
#pragma once
#include <fstream>
#include <string>

namespace ipt2nft::cli {

// A reader never sees half a file and a failed run leaves the old file alone. A file replaced so
// keeps its permissions (Debian's /etc/nftables.conf is executable), and a symbolic link stays
// one: the file it points to is replaced, as editors do. A device, a pipe or a descriptor
// (/dev/stdout, `-o >(nft -f -)`) cannot be replaced, only written: the output goes to it directly.
class AtomicOutput {
public:
    explicit AtomicOutput(const std::string& path);
    ~AtomicOutput();
    // Why the file cannot be written; empty while it can.
    const std::string& error() const { return error_; }
    std::ostream& stream() { return stream_; }
    bool commit();

private:
    std::string path_;
    std::string tmp_;  // empty when the output is written in place
    std::ofstream stream_;
    std::string error_;
    bool committed_ = false;
};

}  // namespace ipt2nft::cli
