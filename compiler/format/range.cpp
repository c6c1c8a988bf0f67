// format_lines(): a line diff of the file against its formatting, filtered to the widened range.
#include "compiler/format/range.h"

#include <algorithm>

#include "compiler/format/diff.h"
#include "compiler/format/format.h"
#include "compiler/syntax/parse.h"

namespace kc::format {
namespace {

// The 0-based line of byte `offset`, given the byte offset where each line starts.
size_t line_of(const std::vector<size_t>& starts, size_t offset) {
  auto after = std::upper_bound(starts.begin(), starts.end(), offset);
  return static_cast<size_t>(after - starts.begin()) - 1;
}

// A run of Delete and Insert edits between two Keeps: old lines [first, end) become `lines`.
struct Hunk {
  size_t first = 0;
  size_t end = 0;
  std::vector<std::string_view> lines;
};

std::vector<Hunk> hunks(const std::vector<Edit>& script,
                        const std::vector<std::string_view>& after_lines, size_t old_count) {
  std::vector<Hunk> out;
  size_t old_line = 0;
  bool open = false;
  for (const Edit& edit : script) {
    if (edit.kind == Edit::Kind::Keep) {
      open = false;
      old_line = edit.before + 1;
      continue;
    }
    if (!open) {
      out.push_back({old_line, old_line, {}});
      open = true;
    }
    if (edit.kind == Edit::Kind::Delete) {
      out.back().end = edit.before + 1;
      old_line = edit.before + 1;
    } else {
      out.back().lines.push_back(after_lines[edit.after]);
    }
  }
  for (Hunk& hunk : out)
    hunk.end = std::min(std::max(hunk.end, hunk.first), old_count);
  return out;
}

std::string joined(const std::vector<std::string_view>& lines, size_t from, size_t to) {
  std::string text;
  for (size_t i = from; i < to; ++i)
    text += lines[i];
  return text;
}

}  // namespace

RangeFormatResult format_lines(source::SourceManager& sources, source::FileId file,
                               uint32_t first_line, uint32_t last_line) {
  RangeFormatResult result;
  FormatResult formatted = format_file(sources, file);
  result.diagnostics = std::move(formatted.diagnostics);
  if (!formatted.ok) return result;
  result.ok = true;
  if (!formatted.changed) return result;

  std::string_view original = sources.file(file).text();
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < original.size(); ++i) {
    if (original[i] == '\n') starts.push_back(i + 1);
  }
  // Widen to the top-level declarations the range overlaps (the file parsed when formatting).
  size_t first = first_line, last = std::max(first_line, last_line);
  syntax::ParseResult parsed = syntax::parse(sources, file);
  for (const ast::Decl& decl : parsed.file.decls) {
    size_t begin = line_of(starts, decl.span.begin);
    size_t end = line_of(starts, decl.span.end == 0 ? 0 : decl.span.end - 1);
    if (end < first_line || begin > last) continue;
    first = std::min(first, begin);
    last = std::max(last, end);
  }

  std::vector<std::string_view> before = split_lines(original);
  std::vector<std::string_view> after = split_lines(formatted.text);
  for (const Hunk& hunk : hunks(diff_lines(before, after), after, before.size())) {
    size_t removed = hunk.end - hunk.first;
    bool inside = hunk.first >= first && (removed == 0 ? hunk.first <= last : hunk.end - 1 <= last);
    if (inside) {
      result.edits.push_back({hunk.first, hunk.end, joined(hunk.lines, 0, hunk.lines.size())});
      continue;
    }
    // Crossing the edge: line for line, the lines inside can change alone.
    if (removed == 0 || removed != hunk.lines.size()) continue;
    for (size_t i = 0; i < removed; ++i) {
      size_t line = hunk.first + i;
      if (line >= first && line <= last) {
        result.edits.push_back({line, line + 1, std::string(hunk.lines[i])});
      }
    }
  }
  return result;
}

}  // namespace kc::format
