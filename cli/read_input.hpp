// Reading a whole input (a file or stdin) into memory, in one allocation where the size is known.
#pragma once
#include <optional>
#include <string>

namespace ipt2nft::cli {

// The bytes of `path` ("-" for stdin), or nullopt when it cannot be read (errno tells why).
std::optional<std::string> read_input(const std::string& path);

}  // namespace ipt2nft::cli
