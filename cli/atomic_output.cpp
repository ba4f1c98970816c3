// The atomic output file: a temporary beside the target, its permissions, the rename.
#include "cli/atomic_output.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace ipt2nft::cli {

namespace {

std::string resolve(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_symlink(path, ec)) return path;
    std::filesystem::path target = std::filesystem::weakly_canonical(path, ec);
    return ec ? path : target.string();
}

}  // namespace

AtomicOutput::AtomicOutput(const std::string& path) : path_(path) {
    struct stat existing {};
    bool exists = ::stat(path.c_str(), &existing) == 0;
    if (exists && S_ISDIR(existing.st_mode)) {
        error_ = std::strerror(EISDIR);
        return;
    }
    // /dev/stdout and /dev/fd/N name a descriptor, whatever file is behind it.
    bool descriptor = path.starts_with("/dev/") || path.starts_with("/proc/");
    if (descriptor || (exists && !S_ISREG(existing.st_mode))) {
        stream_.open(path_, std::ios::binary);
    } else {
        path_ = resolve(path);
        tmp_ = path_ + ".ipt2nft-tmp." + std::to_string(getpid());
        stream_.open(tmp_, std::ios::binary | std::ios::trunc);
        // Before any byte is written: a private file's content is never readable by others.
        if (exists && stream_.good() && ::chmod(tmp_.c_str(), existing.st_mode & 07777) != 0)
            stream_.setstate(std::ios::failbit);
    }
    if (!stream_.good()) error_ = std::strerror(errno);
}

AtomicOutput::~AtomicOutput() {
    if (!committed_ && !tmp_.empty()) std::remove(tmp_.c_str());
}

bool AtomicOutput::commit() {
    stream_.flush();
    bool written = stream_.good();
    stream_.close();
    bool renamed = tmp_.empty() || std::rename(tmp_.c_str(), path_.c_str()) == 0;
    if (!written || stream_.fail() || !renamed) {
        error_ = std::strerror(errno);
        return false;
    }
    committed_ = true;
    return true;
}

}  // namespace ipt2nft::cli
