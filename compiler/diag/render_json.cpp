// The json diagnostic form of CLI.md: positions are 1-based lines and code-point columns, the end
// being the position of the span's (exclusive) end; anything without a span has null positions.
#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"

namespace kc::diag {

namespace {

using Json = nlohmann::ordered_json;

// Sets line/column/end_line/end_column of `out` (null when the span points nowhere).
void put_range(Json& out, const source::Span& span, const source::SourceManager& sources) {
  if (!span.valid() || span.file >= sources.size()) {
    out["line"] = nullptr;
    out["column"] = nullptr;
    out["end_line"] = nullptr;
    out["end_column"] = nullptr;
    return;
  }
  const source::SourceFile& file = sources.file(span.file);
  source::LineCol begin = file.line_col(span.begin);
  source::LineCol end = file.line_col(span.end);
  out["line"] = begin.line;
  out["column"] = begin.column;
  out["end_line"] = end.line;
  out["end_column"] = end.column;
}

Json file_of(const source::Span& span, const source::SourceManager& sources) {
  if (!span.valid() || span.file >= sources.size()) return nullptr;
  return sources.file(span.file).path();
}

}  // namespace

Json diagnostic_json(const Diagnostic& diagnostic, const source::SourceManager& sources) {
  Json out = Json::object();
  out["file"] = file_of(diagnostic.span, sources);
  put_range(out, diagnostic.span, sources);
  out["severity"] = severity_name(diagnostic.severity);
  out["code"] = diagnostic.code_string();
  out["message"] = diagnostic.message;
  Json labels = Json::array();
  for (const Label& label : diagnostic.secondary) {
    Json item = Json::object();
    put_range(item, label.span, sources);
    item["message"] = label.message;
    item["file"] = file_of(label.span, sources);
    labels.push_back(std::move(item));
  }
  out["labels"] = std::move(labels);
  out["notes"] = diagnostic.notes;
  Json fixes = Json::array();
  for (const Fix& fix : diagnostic.fixes) {
    Json item = Json::object();
    item["message"] = fix.message;
    put_range(item, fix.span, sources);
    item["replacement"] = fix.replacement;
    fixes.push_back(std::move(item));
  }
  out["fixes"] = std::move(fixes);
  return out;
}

Json diagnostics_json(const Diagnostics& diagnostics, const source::SourceManager& sources) {
  Json out = Json::array();
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    out.push_back(diagnostic_json(diagnostic, sources));
  }
  return out;
}

}  // namespace kc::diag
