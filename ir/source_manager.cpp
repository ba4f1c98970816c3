// SourceManager: a line table is built per file on its first look-up, then lookups are a binary search.
#include "ir/source_manager.hpp"

#include <algorithm>
#include <cstring>

namespace ipt2nft {

uint32_t SourceManager::add(std::string name, std::string text, std::vector<LineOrigin> origins) {
    files_.push_back(File{std::move(name), std::move(text), std::move(origins), {}});
    return static_cast<uint32_t>(files_.size() - 1);
}

std::string_view SourceManager::name(uint32_t file, uint32_t offset) const {
    const File& f = files_[file];
    if (f.origins.empty()) return f.name;
    uint32_t line = physical(file, offset).line;
    return line <= f.origins.size() ? f.origins[line - 1].file : std::string_view(f.name);
}

const std::vector<uint32_t>& SourceManager::line_starts(uint32_t file) const {
    const File& f = files_[file];
    if (f.line_starts.empty()) {
        f.line_starts.push_back(0);
        for (const char* p = f.text.data();
             (p = static_cast<const char*>(std::memchr(p, '\n', f.text.data() + f.text.size() - p)));)
            f.line_starts.push_back(static_cast<uint32_t>(++p - f.text.data()));
    }
    return f.line_starts;
}

LineCol SourceManager::physical(uint32_t file, uint32_t offset) const {
    const auto& starts = line_starts(file);
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    auto line = static_cast<uint32_t>(it - starts.begin());
    return {line, offset - starts[line - 1] + 1};
}

LineCol SourceManager::line_col(uint32_t file, uint32_t offset) const {
    LineCol at = physical(file, offset);
    const auto& origins = files_[file].origins;
    if (at.line <= origins.size()) at.line = origins[at.line - 1].line;
    return at;
}

std::string_view SourceManager::line_text(uint32_t file, uint32_t offset) const {
    const auto& f = files_[file];
    auto lc = physical(file, offset);
    const auto& starts = line_starts(file);
    uint32_t begin = starts[lc.line - 1];
    uint32_t end = lc.line < starts.size() ? starts[lc.line] - 1 : static_cast<uint32_t>(f.text.size());
    std::string_view line(f.text.data() + begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

}  // namespace ipt2nft
