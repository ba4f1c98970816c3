// SourceManager: line tables are built once per file so lookups are a binary search.
#include "ir/source_manager.hpp"

#include <algorithm>
#include <cstring>

namespace ipt2nft {

uint32_t SourceManager::add(std::string name, std::string text) {
    File f{std::move(name), std::move(text), {0}};
    for (const char* p = f.text.data();
         (p = static_cast<const char*>(std::memchr(p, '\n', f.text.data() + f.text.size() - p)));)
        f.line_starts.push_back(static_cast<uint32_t>(++p - f.text.data()));
    files_.push_back(std::move(f));
    return static_cast<uint32_t>(files_.size() - 1);
}

LineCol SourceManager::line_col(uint32_t file, uint32_t offset) const {
    const auto& starts = files_[file].line_starts;
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    auto line = static_cast<uint32_t>(it - starts.begin());
    return {line, offset - starts[line - 1] + 1};
}

std::string_view SourceManager::line_text(uint32_t file, uint32_t offset) const {
    const auto& f = files_[file];
    auto lc = line_col(file, offset);
    uint32_t begin = f.line_starts[lc.line - 1];
    uint32_t end = lc.line < f.line_starts.size() ? f.line_starts[lc.line] - 1 : static_cast<uint32_t>(f.text.size());
    std::string_view line(f.text.data() + begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

}  // namespace ipt2nft
