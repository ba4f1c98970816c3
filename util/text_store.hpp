// TextStore: stable storage for text made from the input (decoded quotes, expanded variables).
#pragma once
#include <memory>
#include <string_view>
#include <vector>

namespace ipt2nft {

// Words, chain names and comments are views: into the input when written plainly, else into
// here. Text is appended to large blocks and never moves, so views stay valid for the store's
// lifetime without one allocation per string.
class TextStore {
public:
    std::string_view keep(std::string_view text);

private:
    static constexpr size_t block_size = 64 * 1024;
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t used_ = block_size;  // in the last block; "full" until the first block exists
};

}  // namespace ipt2nft
