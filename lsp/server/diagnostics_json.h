// The LSP form of the compiler's diagnostics: ranges in the negotiated position encoding, severity
// numbers, the code (E0302, or a lint rule's name), labels and notes folded into the message, and
// secondary labels as related information.
#pragma once

#include <map>

#include <nlohmann/json.hpp>
#include <string>
#include "compiler/diag/diagnostic.h"

#include "compiler/source/source.h"
#include "lsp/server/analysis.h"
#include "lsp/server/positions.h"

namespace kc::lsp {

// An LSP Range for `span` of the file `index` was built from.
nlohmann::json range_json(const LineIndex& index, source::Span span, PositionEncoding encoding);

class StaleAnalysis;

// Converts spans and diagnostics of one analysis, building each file's line index once. With
// `stale` (an analysis of older text, stale_analysis.h), spans are carried to the current text
// first, and range() and location() are null for a span in text edited since.
class LspConverter {
 public:
  LspConverter(const Analysis& analysis, PositionEncoding encoding, StaleAnalysis* stale = nullptr)
      : analysis_(analysis), encoding_(encoding), stale_(stale) {}
  nlohmann::json range(source::Span span);
  // {uri, range}; null for a span outside the analysis's files.
  nlohmann::json location(source::Span span);
  // The LSP Diagnostic of `d`, whose span must be valid.
  nlohmann::json diagnostic(const diag::Diagnostic& d);

 private:
  const Analysis& analysis_;
  PositionEncoding encoding_;
  StaleAnalysis* stale_ = nullptr;
  std::map<source::FileId, LineIndex> indexes_;
};

// The analysis's diagnostics with a valid span, as LSP Diagnostic objects grouped by the absolute
// path of the file they point into, each list in reporting order.
std::map<std::string, nlohmann::json> diagnostics_by_path(const Analysis& analysis,
                                                          PositionEncoding encoding);

}  // namespace kc::lsp
