// Benchmark: translates one file in-process and prints wall time and peak memory.
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>

#include "driver/translate.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: bench_translate FILE\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto start = std::chrono::steady_clock::now();
    ipt2nft::TranslateRequest request;
    request.inputs.push_back({argv[1], text});
    auto result = ipt2nft::translate(request);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    fmt::print("input_bytes {}\noutput_bytes {}\nseconds {:.3f}\npeak_rss_kib {}\nerrors {}\n", text.size(), result.script.size(),
               seconds, usage.ru_maxrss, result.diags.error_count());
    return result.ok ? 0 : 1;
}
