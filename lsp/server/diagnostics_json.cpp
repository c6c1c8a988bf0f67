// Diagnostic -> LSP Diagnostic.
#include "lsp/server/diagnostics_json.h"

#include "lsp/server/stale_analysis.h"
#include "lsp/server/uri.h"

namespace kc::lsp {
namespace {

using Json = nlohmann::json;

int severity_number(diag::Severity severity) {
  switch (severity) {
    case diag::Severity::Error:
      return 1;
    case diag::Severity::Warning:
      return 2;
    case diag::Severity::Info:
      return 3;
  }
  return 1;
}

Json position_json(Position p) {
  return Json{{"line", p.line}, {"character", p.character}};
}

}  // namespace

Json range_json(const LineIndex& index, source::Span span, PositionEncoding encoding) {
  return Json{{"start", position_json(index.position(span.begin, encoding))},
              {"end", position_json(index.position(span.end, encoding))}};
}

Json LspConverter::range(source::Span span) {
  if (stale_ != nullptr) {
    std::optional<source::Span> now = stale_->to_current(span);
    if (!now) return nullptr;
    auto it = indexes_.find(span.file);
    if (it == indexes_.end())
      it = indexes_.emplace(span.file, stale_->current_text(span.file)).first;
    return range_json(it->second, *now, encoding_);
  }
  auto it = indexes_.find(span.file);
  if (it == indexes_.end()) {
    it = indexes_.emplace(span.file, analysis_.compilation->sources().file(span.file).text()).first;
  }
  return range_json(it->second, span, encoding_);
}

Json LspConverter::location(source::Span span) {
  if (!span.valid() || span.file >= analysis_.compilation->sources().size()) return nullptr;
  Json where = range(span);
  if (where.is_null()) return nullptr;
  return Json{{"uri", path_to_uri(analysis_.paths[span.file])}, {"range", std::move(where)}};
}

Json LspConverter::diagnostic(const diag::Diagnostic& d) {
  std::string message = d.message;
  if (!d.label.empty()) message += "\n" + d.label;
  for (const std::string& note : d.notes)
    message += "\nnote: " + note;
  Json related = Json::array();
  for (const diag::Label& label : d.secondary) {
    Json where = location(label.span);
    if (!where.is_null()) related.push_back({{"location", where}, {"message", label.message}});
  }
  Json diagnostic = {{"range", range(d.span)},
                     {"severity", severity_number(d.severity)},
                     {"code", d.code_string()},
                     {"source", "kc"},
                     {"message", message}};
  if (!related.empty()) diagnostic["relatedInformation"] = std::move(related);
  return diagnostic;
}

std::map<std::string, Json> diagnostics_by_path(const Analysis& analysis,
                                                PositionEncoding encoding) {
  std::map<std::string, Json> by_path;
  LspConverter convert(analysis, encoding);
  const source::SourceManager& sources = analysis.compilation->sources();
  for (const diag::Diagnostic& d : analysis.diagnostics.all()) {
    if (!d.span.valid() || d.span.file >= sources.size()) continue;
    Json& list = by_path[analysis.paths[d.span.file]];
    if (list.is_null()) list = Json::array();
    list.push_back(convert.diagnostic(d));
  }
  return by_path;
}

}  // namespace kc::lsp
