// Range formatting: the `kc fmt` engine run on the whole file, keeping only the changes that lie
// within the requested lines widened to the top-level declarations they touch, so that nothing
// outside them changes (the language server's textDocument/rangeFormatting).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace kc::format {

// Lines [first, end) of the file (0-based) are replaced by `text` (whole lines, each ending in
// '\n' unless it is the file's last line without one). `first == end`: an insertion before `first`.
struct LineReplacement {
  size_t first = 0;
  size_t end = 0;
  std::string text;
};

struct RangeFormatResult {
  bool ok = false;  // as FormatResult::ok: false on syntax errors (see `diagnostics`)
  std::vector<LineReplacement> edits;  // in line order, not overlapping
  diag::Diagnostics diagnostics;
};

// Formats file `file` of `sources` and returns the changes of the formatted text that fall within
// lines [first_line, last_line] (0-based, inclusive), the range first widened to cover every
// top-level declaration it overlaps. A change that crosses the widened range's edge is dropped,
// unless it replaces as many lines as it removes (then its lines inside the range are kept).
RangeFormatResult format_lines(source::SourceManager& sources, source::FileId file,
                               uint32_t first_line, uint32_t last_line);

}  // namespace kc::format
