// Benchmark floor: what any translator pays before translating anything. Maps a file, cuts each
// line into words on every hardware thread and writes the words back, understanding none of them.
// usage: read_floor FILE > OUT
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

// The lines of text[begin, end) with their words, each written once, separated by one space; a
// double-quoted word (a comment) runs to its closing quote, as the save format writes it.
void echo_words(std::string_view text, size_t begin, size_t end, std::string& out) {
    out.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
        char c = text[i];
        if (c == '\n') {
            out += '\n';
        } else if (c != ' ' && c != '\t') {
            size_t start = i;
            if (c == '"') {
                size_t close = text.find('"', i + 1);
                i = close == std::string_view::npos || close >= end ? end - 1 : close;
            } else {
                while (i + 1 < end && text[i + 1] != ' ' && text[i + 1] != '\t' && text[i + 1] != '\n') ++i;
            }
            out.append(text.substr(start, i + 1 - start));
            out += ' ';
        }
    }
}

// The start of the line that holds text[at], or the text's end.
size_t line_start(std::string_view text, size_t at) {
    if (at == 0 || at >= text.size()) return std::min(at, text.size());
    size_t nl = text.find('\n', at - 1);
    return nl == std::string_view::npos ? text.size() : nl + 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: read_floor FILE > OUT\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st {};
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        std::perror(argv[1]);
        return 1;
    }
    size_t size = static_cast<size_t>(st.st_size);
    void* mapped = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (mapped == MAP_FAILED) {
        std::perror(argv[1]);
        return 1;
    }
    std::string_view text(static_cast<const char*>(mapped), size);
    size_t threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::string> pieces(threads);
    {
        std::vector<std::jthread> workers;
        for (size_t k = 0; k < threads; ++k)
            workers.emplace_back([&, k] {
                echo_words(text, line_start(text, size * k / threads), line_start(text, size * (k + 1) / threads),
                           pieces[k]);
            });
    }
    for (const auto& piece : pieces) std::fwrite(piece.data(), 1, piece.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}
