// Parses the document and turns multi-line spans into folding ranges.
#include "lsp/server/folding.h"

#include <algorithm>
#include <map>

#include "compiler/source/source.h"
#include "compiler/syntax/parse.h"
#include "lsp/server/positions.h"

namespace kc::lsp {
namespace {

class Folder {
 public:
  explicit Folder(std::string_view text) : text_(text), index_(text) {}

  void add(source::Span span, bool comment) {
    uint32_t first = index_.position(span.begin, PositionEncoding::Utf8).line;
    uint32_t last = index_.position(span.end, PositionEncoding::Utf8).line;
    if (!comment && span.end > 0 && closes_line(span.end - 1)) --last;  // keep `}` visible
    if (last <= first) return;
    auto [it, inserted] = by_start_.emplace(first, FoldingRange{first, last, comment});
    if (!inserted && last > it->second.end_line) it->second = FoldingRange{first, last, comment};
  }

  std::vector<FoldingRange> ranges() const {
    std::vector<FoldingRange> out;
    for (const auto& [line, range] : by_start_)
      out.push_back(range);
    return out;
  }

 private:
  // Whether the character at `offset` is a closing bracket with only blanks before it on its line.
  bool closes_line(uint32_t offset) const {
    char c = text_[offset];
    if (c != '}' && c != ']' && c != ')') return false;
    for (uint32_t i = offset; i > 0; --i) {
      char before = text_[i - 1];
      if (before == '\n') return true;
      if (before != ' ' && before != '\t') return false;
    }
    return true;
  }

  std::string_view text_;
  LineIndex index_;
  std::map<uint32_t, FoldingRange> by_start_;
};

}  // namespace

std::vector<FoldingRange> folding_ranges(std::string_view text) {
  source::SourceManager sources;
  source::FileId id = sources.add("document.kcl", std::string(text));
  syntax::ParseResult parsed = syntax::parse(sources, id, {});
  std::string_view stored = sources.file(id).text();
  Folder folder(stored);
  for (const ast::Decl& decl : parsed.file.decls)
    folder.add(decl.span, false);
  for (const ast::Body& body : parsed.file.bodies)
    folder.add(body.span, false);
  for (const ast::Expr& expr : parsed.file.exprs) {
    if (expr.kind() == ast::ExprKind::ListLit || expr.kind() == ast::ExprKind::RecordLit) {
      folder.add(expr.span, false);
    }
  }
  // Runs of whole-line comments on consecutive lines.
  LineIndex index(stored);
  source::Span run{id, 0, 0};
  uint32_t run_last_line = 0;
  bool in_run = false;
  for (const ast::Comment& comment : parsed.file.comments) {
    uint32_t line = index.position(comment.span.begin, PositionEncoding::Utf8).line;
    if (comment.trailing) continue;
    if (in_run && line == run_last_line + 1) {
      run.end = comment.span.end;
    } else {
      if (in_run) folder.add(run, true);
      run = comment.span;
      in_run = true;
    }
    run_last_line = line;
  }
  if (in_run) folder.add(run, true);
  return folder.ranges();
}

}  // namespace kc::lsp
