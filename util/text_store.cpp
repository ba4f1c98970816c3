// TextStore: appends to the last block, starting a new one (or a dedicated one) when full.
#include "util/text_store.hpp"

#include <cstring>

namespace ipt2nft {

std::string_view TextStore::keep(std::string_view text) {
    if (text.empty()) return {};
    if (text.size() > block_size / 4) {
        // A long text gets a block of its own, put before the current block so that the
        // current one, still being filled, stays last.
        auto own = std::make_unique_for_overwrite<char[]>(text.size());
        char* at = own.get();
        std::memcpy(at, text.data(), text.size());
        blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, std::move(own));
        return {at, text.size()};
    }
    if (used_ + text.size() > block_size) {
        blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size));
        used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return {at, text.size()};
}

}  // namespace ipt2nft
