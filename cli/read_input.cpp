// read_input: the input is kept for the whole run (diagnostics and the IR view it), so it is
// read straight into a string of its exact size rather than grown by doubling and copied.
#include "cli/read_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace ipt2nft::cli {

namespace {

bool read_all(int fd, std::string& text) {
    struct stat st {};
    size_t used = 0;
    // A regular file says its size; a pipe or terminal is read in growing steps.
    text.resize(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) + 1 : 64 * 1024);
    for (;;) {
        if (used == text.size()) text.resize(text.size() * 2);
        ssize_t n = ::read(fd, text.data() + used, text.size() - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        used += static_cast<size_t>(n);
    }
    text.resize(used);
    return true;
}

}  // namespace

std::optional<std::string> read_input(const std::string& path) {
    std::string text;
    if (path == "-") return read_all(STDIN_FILENO, text) ? std::optional(std::move(text)) : std::nullopt;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    bool ok = read_all(fd, text);
    ::close(fd);
    if (!ok) return std::nullopt;
    if (text.capacity() > text.size() + text.size() / 8) text.shrink_to_fit();  // only after a pipe's doubling
    return text;
}

}  // namespace ipt2nft::cli
