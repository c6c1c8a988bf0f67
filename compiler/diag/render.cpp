// Format selection, the one-line short renderer, and render(), which applies a format to a whole
// list.
#include "compiler/diag/render.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace kc::diag {

bool parse_format(std::string_view text, Format& out) {
  if (text == "human") {
    out = Format::Human;
  } else if (text == "short") {
    out = Format::Short;
  } else if (text == "json") {
    out = Format::Json;
  } else {
    return false;
  }
  return true;
}

std::string render_short(const Diagnostic& diagnostic, const source::SourceManager& sources) {
  const source::Span& span = diagnostic.span;
  std::string where = "kc";
  if (span.valid() && span.file < sources.size()) {
    const source::SourceFile& file = sources.file(span.file);
    source::LineCol at = file.line_col(span.begin);
    where = fmt::format("{}:{}:{}", file.path(), at.line, at.column);
  }
  return fmt::format("{}: {}[{}]: {}\n", where, severity_name(diagnostic.severity),
                     diagnostic.code_string(), diagnostic.message);
}

std::string render(const Diagnostics& diagnostics, const source::SourceManager& sources,
                   const RenderOptions& options) {
  if (options.format == Format::Json) {
    // Invalid UTF-8 (quoted from a broken source file, say) is replaced rather than thrown on.
    return diagnostics_json(diagnostics, sources)
               .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
           "\n";
  }
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    out += options.format == Format::Short ? render_short(diagnostic, sources)
                                           : render_human(diagnostic, sources, options.color);
  }
  return out;
}

}  // namespace kc::diag
