// Findings the input itself silences: `# ipt2nft: ignore [CODE,...]` on the line before.
#pragma once
#include "ir/diagnostics.hpp"
#include "ir/source_manager.hpp"

namespace ipt2nft::analysis {

// Whether the line before the finding's first line says to ignore its code (or, without codes,
// every finding there).
bool suppressed_inline(const SourceManager& sources, const Diagnostic& d);

}  // namespace ipt2nft::analysis
