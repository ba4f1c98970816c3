// Inline suppressions read from the comment line above a rule or chain, in save files and scripts.
#include "analysis/suppressions.hpp"

#include <string_view>

namespace ipt2nft::analysis {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool names_code(std::string_view codes, std::string_view code) {
    codes = trim(codes);
    if (codes.empty()) return true;
    while (!codes.empty()) {
        size_t end = codes.find_first_of(", \t");
        if (trim(codes.substr(0, end)) == code) return true;
        if (end == std::string_view::npos) break;
        codes.remove_prefix(end + 1);
    }
    return false;
}

}  // namespace

bool suppressed_inline(const SourceManager& sources, const Diagnostic& d) {
    if (!d.span.valid()) return false;
    auto at = sources.line_col(d.span.file, d.span.begin);
    if (at.line < 2) return false;
    uint32_t line_start = d.span.begin - (at.col - 1);
    std::string_view above = trim(sources.line_text(d.span.file, line_start - 1));
    if (!above.starts_with('#')) return false;
    above = trim(above.substr(1));
    constexpr std::string_view marker = "ipt2nft: ignore";
    if (!above.starts_with(marker)) return false;
    return names_code(above.substr(marker.size()), d.code);
}

}  // namespace ipt2nft::analysis
