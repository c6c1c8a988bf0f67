// Folding ranges of one document, from its syntax alone (so a file that does not check still
// folds): multi-line declarations, bodies (`{ ... }`), list and record literals, and runs of
// comment lines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kc::lsp {

struct FoldingRange {
  uint32_t start_line = 0;  // 0-based
  uint32_t end_line = 0;    // the last line folded away (a closing bracket's line stays visible)
  bool comment = false;
  friend bool operator==(const FoldingRange&, const FoldingRange&) = default;
};

// Sorted by start line; at most one range starts on a line (the widest).
std::vector<FoldingRange> folding_ranges(std::string_view text);

}  // namespace kc::lsp
