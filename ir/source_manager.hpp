// SourceManager: owns every input text and maps spans back to file:line:col.
#pragma once
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "ir/span.hpp"
#include "util/text_store.hpp"

namespace ipt2nft {

struct LineCol {
    uint32_t line;  // 1-based
    uint32_t col;   // 1-based, in bytes
};

// Where a line of recorded text comes from: the script file and line whose command it is (the
// commands a script ran, recorded by `--run`, each on its own line).
struct LineOrigin {
    std::string_view file;  // kept by the SourceManager's derived store, or static
    uint32_t line;
};

class SourceManager {
public:
    // File id 0 is reserved for "no location"; real files start at 1. Recorded text has an
    // origin for each of its lines: places in it are told as the places its lines came from.
    uint32_t add(std::string name, std::string text, std::vector<LineOrigin> origins = {});
    const std::string& name(uint32_t file) const { return files_[file].name; }
    // The file a place reads as: the file's own name, or for recorded text its line's origin.
    std::string_view name(uint32_t file, uint32_t offset) const;
    std::string_view text(uint32_t file) const { return files_[file].text; }
    // The line (the origin's, for recorded text) and the column in the text's line.
    LineCol line_col(uint32_t file, uint32_t offset) const;
    // The physical source line holding `offset`, without its line ending.
    std::string_view line_text(uint32_t file, uint32_t offset) const;
    // Text made from the inputs (decoded quotes, expansions) that must live as long as they do.
    TextStore& derived() { return derived_; }
    // Keeps a store filled elsewhere (a reader's worker thread): the views into it stay valid.
    void adopt(TextStore&& store) { adopted_.push_back(std::move(store)); }

private:
    struct File {
        std::string name;
        std::string text;
        std::vector<LineOrigin> origins;  // recorded text only
        // Built on the first look-up: a run without diagnostics never needs it.
        mutable std::vector<uint32_t> line_starts;
    };
    const std::vector<uint32_t>& line_starts(uint32_t file) const;
    LineCol physical(uint32_t file, uint32_t offset) const;  // in the text itself
    std::deque<File> files_{File{"<none>", "", {}, {0}}};
    TextStore derived_;
    std::deque<TextStore> adopted_;
};

}  // namespace ipt2nft
