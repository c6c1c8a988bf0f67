// `kc fmt`'s engine: the canonical text of a parsed file (layout rules in docs/formatting.md), and
// a checked entry point that refuses files with syntax errors and verifies its own output.
#pragma once

#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace kc::format {

// The canonical text of `file`, parsed from `source_text` without syntax errors. Literals and
// comments are copied from `source_text`; line structure follows it. Idempotent: formatting the
// result again returns it unchanged.
std::string format(const ast::File& file, std::string_view source_text);

struct FormatResult {
  // False when the file has syntax errors (their diagnostics are in `diagnostics`) or when the
  // safety net rejected the output (an internal-error diagnostic); `text` is then empty.
  bool ok = false;
  bool changed = false;  // `text` differs from the file's text
  std::string text;
  diag::Diagnostics diagnostics;
};

// Parses file `file` of `sources`, formats it, then re-parses the result (added to `sources`) and
// accepts it only if it parses without errors, its syntax tree dumps (without positions) exactly
// like the input's, and it holds the same comments in the same order.
FormatResult format_file(source::SourceManager& sources, source::FileId file);

}  // namespace kc::format
