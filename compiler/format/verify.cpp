// format_file(): the checked entry point. The formatter is trusted only as far as its output
// re-parses to the same tree with the same comments; otherwise the file is left alone.
#include <fmt/format.h>

#include "compiler/format/format.h"
#include "compiler/syntax/parse.h"

namespace kc::format {
namespace {

// Comment texts in source order, without trailing whitespace (which the formatter drops).
std::vector<std::string_view> comment_texts(const ast::File& file, std::string_view text) {
  std::vector<std::string_view> texts;
  for (const ast::Comment& comment : file.comments) {
    std::string_view t = text.substr(comment.span.begin, comment.span.size());
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) {
      t.remove_suffix(1);
    }
    texts.push_back(t);
  }
  return texts;
}

}  // namespace

FormatResult format_file(source::SourceManager& sources, source::FileId file) {
  FormatResult result;
  syntax::ParseResult parsed = syntax::parse(sources, file);
  result.diagnostics = std::move(parsed.diagnostics);
  if (result.diagnostics.has_errors()) return result;

  std::string_view original = sources.file(file).text();
  std::string text = format(parsed.file, original);

  std::string problem;
  source::FileId again_id = sources.add(sources.file(file).path(), text);
  syntax::ParseResult again = syntax::parse(sources, again_id);
  syntax::DumpOptions no_positions{.positions = false};
  if (again.diagnostics.has_errors()) {
    problem = "the formatted text does not parse";
  } else if (syntax::dump(parsed.file, sources, no_positions) !=
             syntax::dump(again.file, sources, no_positions)) {
    problem = "the formatted text parses to a different syntax tree";
  } else if (comment_texts(parsed.file, original) !=
             comment_texts(again.file, sources.file(again_id).text())) {
    problem = "the formatted text does not keep every comment in order";
  }
  if (!problem.empty()) {
    diag::Diagnostic internal;
    internal.severity = diag::Severity::Error;
    internal.rule = "internal-error";
    internal.span = source::Span{file, 0, 0};
    internal.message =
        fmt::format("kc fmt could not format this file: {}; it was left unchanged", problem);
    internal.notes.push_back("this is a bug in kc fmt; please report it with the file");
    result.diagnostics.add(std::move(internal));
    return result;
  }
  result.ok = true;
  result.changed = text != original;
  result.text = std::move(text);
  return result;
}

}  // namespace kc::format
