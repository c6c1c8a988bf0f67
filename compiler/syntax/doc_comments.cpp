// doc_comment(): finds the `##` run above a construct among the file's comments (doc_comments.h).
#include "compiler/syntax/doc_comments.h"

#include <algorithm>

namespace kc::syntax {

namespace {

// Only blanks and exactly one line break lie in `gap`: the two sides are on adjacent lines.
bool one_line_break(std::string_view gap) {
  int breaks = 0;
  for (size_t i = 0; i < gap.size(); ++i) {
    char c = gap[i];
    if (c == '\n') {
      ++breaks;
    } else if (c == '\r') {
      if (i + 1 < gap.size() && gap[i + 1] == '\n') continue;
      ++breaks;
    } else if (c != ' ' && c != '\t' && c != '\f') {
      return false;
    }
  }
  return breaks == 1;
}

}  // namespace

std::string doc_comment(const std::vector<ast::Comment>& comments, std::string_view text,
                        uint32_t after, uint32_t begin) {
  // The comments between the previous token and this one.
  auto last = std::lower_bound(
      comments.begin(), comments.end(), begin,
      [](const ast::Comment& c, uint32_t offset) { return c.span.begin < offset; });
  std::vector<std::string_view> lines;
  uint32_t next = begin;
  for (auto it = last; it != comments.begin();) {
    --it;
    if (it->span.begin < after) break;
    if (!it->doc || it->trailing || it->span.end > text.size()) break;
    if (!one_line_break(text.substr(it->span.end, next - it->span.end))) break;
    std::string_view line = text.substr(it->span.begin, it->span.size());
    line.remove_prefix(2);
    if (line.starts_with(' ')) line.remove_prefix(1);
    lines.push_back(line);
    next = it->span.begin;
  }
  std::string doc;
  for (size_t i = lines.size(); i-- > 0;) {
    doc += lines[i];
    if (i > 0) doc += '\n';
  }
  return doc;
}

}  // namespace kc::syntax
