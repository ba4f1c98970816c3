// Suggestions for misspelt names: the closest known word by edit distance.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ipt2nft {

// The closest of `candidates` to `word`, if close enough to be a likely typo.
std::optional<std::string_view> closest(std::string_view word, const std::vector<std::string_view>& candidates);
// "; did you mean 'x'?" for the closest candidate, or nothing: the tail of an error message.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace ipt2nft
