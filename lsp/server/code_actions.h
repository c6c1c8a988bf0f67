// Quick fixes offered on the diagnostics of a range: every fix a diagnostic or lint finding
// carries (did-you-mean replacements and the like), and "add missing required fields" on a
// missing-required-field (E0303) diagnostic, which inserts `field = <placeholder>` lines into the
// instance or resource body, indented like its items. Pure over an Analysis; positions are byte
// offsets until `code_actions_json` converts them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "lsp/server/analysis.h"
#include "lsp/server/positions.h"

namespace kc::lsp {

struct TextEdit {
  source::Span span;  // replaced (empty: an insertion at span.begin)
  std::string text;
};

struct QuickFix {
  std::string title;
  std::vector<const diag::Diagnostic*> diagnostics;  // what applying it resolves
  std::vector<TextEdit> edits;                       // all in one file
  bool preferred = false;
};

// The quick fixes for the diagnostics of the file at absolute `path` that touch bytes
// [begin, end], in the order of the diagnostics.
std::vector<QuickFix> quick_fixes(const Analysis& analysis, const std::string& path, uint32_t begin,
                                  uint32_t end);

// textDocument/codeAction for the range [start, end] of the document at `path`: a list of
// `quickfix` CodeActions with workspace edits.
nlohmann::json code_actions_json(const Analysis& analysis, const std::string& path, Position start,
                                 Position end, PositionEncoding encoding);

}  // namespace kc::lsp
