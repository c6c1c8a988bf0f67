// Deletion spans for fixes.
#include "compiler/lint/edits.h"

namespace kc::lint {

namespace {

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

}  // namespace

source::Span deletion_span(const source::SourceFile& file, source::Span span, bool with_comment) {
  std::string_view text = file.text();
  uint32_t begin = span.begin;
  while (begin > 0 && blank(text[begin - 1]))
    --begin;
  if (begin > 0 && text[begin - 1] != '\n') return span;
  uint32_t end = span.end;
  while (end < text.size() && blank(text[end]))
    ++end;
  if (with_comment && end < text.size() && text[end] == '#') {
    while (end < text.size() && text[end] != '\n')
      ++end;
  }
  if (end < text.size() && text[end] != '\n') return span;
  if (end < text.size()) ++end;  // the line break
  return source::Span{span.file, begin, end};
}

source::Span trailing_comment_span(const source::SourceFile& file, source::Span comment) {
  std::string_view text = file.text();
  uint32_t begin = comment.begin;
  while (begin > 0 && blank(text[begin - 1]))
    --begin;
  return source::Span{comment.file, begin, comment.end};
}

}  // namespace kc::lint
