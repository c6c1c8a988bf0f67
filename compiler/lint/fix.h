// `kc lint --fix`: applies the fixes of lint findings to their files' text, then formats only what
// the fixes touched, so the rest of a file keeps its layout.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace kc::lint {

struct FixedFile {
  source::FileId file = source::kNoFile;
  std::string path;    // as printed
  std::string before;  // the text read
  std::string after;   // with the fixes applied and the touched lines formatted
  size_t applied = 0;  // fixes applied
};

// A fix that overlaps an earlier one is left for the next run; a file whose fixed text would not
// parse is left as it is; fixing a fixed file again changes nothing.
// One entry per file some fix of a lint finding (a diagnostic with a rule) edits and changes.
std::vector<FixedFile> apply_fixes(const diag::Diagnostics& diagnostics,
                                   const source::SourceManager& sources);

// The edits applied to `text` (spans are offsets into it, sorted, not overlapping), then the
// formatter's changes to the lines around them. Exposed for tests.
struct TextEdit {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string replacement;
};
std::string apply_edits(std::string_view text, const std::vector<TextEdit>& edits);
// Where fixes landed in the fixed text: 1-based lines they wrote, and lines where whole lines
// were removed (the line after the gap).
struct Touched {
  std::vector<std::pair<uint32_t, uint32_t>> lines;
  std::vector<uint32_t> removals;
};
// Formats `fixed` and keeps only the formatter's changes to the lines fixes wrote, and blank lines
// it adds or drops where lines were removed. nullopt when `fixed` does not parse.
std::optional<std::string> format_touched(const std::string& path, const std::string& fixed,
                                          const Touched& touched);

}  // namespace kc::lint
