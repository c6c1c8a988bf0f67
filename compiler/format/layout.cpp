// The formatter's output model: comment placement at line breaks and the final rendering.
#include "compiler/format/layout.h"

#include <algorithm>

namespace kc::format {

uint32_t trailing_comment_column(uint32_t code_width, uint32_t original_column) {
  return original_column >= code_width + 2 ? original_column : code_width + 2;
}

Writer::Writer(std::string_view source, const std::vector<ast::Comment>& comments,
               std::vector<uint32_t> doc_targets)
    : source_(source),
      comments_(comments),
      done_(comments.size(), false),
      is_doc_(comments.size(), false),
      doc_targets_(std::move(doc_targets)) {
  std::stable_sort(
      comments_.begin(), comments_.end(),
      [](const ast::Comment& a, const ast::Comment& b) { return a.span.begin < b.span.begin; });
  std::sort(doc_targets_.begin(), doc_targets_.end());
  // The parser's rule (compiler/syntax/doc_comments.h): a doc is the run of own-line `##`
  // comments on the lines right above the construct, without a blank line.
  for (uint32_t target : doc_targets_) {
    auto it =
        std::lower_bound(comments_.begin(), comments_.end(), target,
                         [](const ast::Comment& c, uint32_t pos) { return c.span.begin < pos; });
    uint32_t next = target;
    while (it != comments_.begin()) {
      --it;
      if (!it->doc || it->trailing || !one_line_break(it->span.end, next)) break;
      is_doc_[static_cast<size_t>(it - comments_.begin())] = true;
      next = it->span.begin;
    }
  }
  lines_.emplace_back();
}

void Writer::put(std::string_view text) {
  lines_.back().text += text;
}

void Writer::put_source(source::Span span) {
  Line& line = lines_.back();
  line.text += source_.substr(span.begin, span.end - span.begin);
  line.raw_end = line.text.size();
  for (size_t i = next_comment_; i < comments_.size() && comments_[i].span.begin < span.end; ++i) {
    if (comments_[i].span.begin >= span.begin) done_[i] = true;
  }
  advance(span.end);
}

void Writer::advance(uint32_t pos) {
  last_end_ = std::max(last_end_, pos);
}

bool Writer::can_attach() const {
  const Line& line = lines_.back();
  return !line.blank && !line.own_comment && !line.text.empty() && line.comment.empty();
}

bool Writer::blank_between(uint32_t from, uint32_t to) const {
  if (from >= to || to > source_.size()) return false;
  return std::count(source_.begin() + from, source_.begin() + to, '\n') >= 2;
}

bool Writer::one_line_break(uint32_t from, uint32_t to) const {
  if (from > to || to > source_.size()) return false;
  int breaks = 0;
  for (char c : source_.substr(from, to - from)) {
    if (c == '\n') {
      ++breaks;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\f') {
      return false;
    }
  }
  return breaks == 1;
}

bool Writer::is_doc_target(uint32_t pos) const {
  return std::binary_search(doc_targets_.begin(), doc_targets_.end(), pos);
}

uint32_t Writer::source_column(uint32_t offset) const {
  size_t newline = offset == 0 ? std::string_view::npos : source_.rfind('\n', offset - 1);
  size_t start = newline == std::string_view::npos ? 0 : newline + 1;
  return source::count_code_points(source_.substr(start, offset - start));
}

std::string Writer::comment_text(const ast::Comment& comment) const {
  std::string_view text = source_.substr(comment.span.begin, comment.span.size());
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

void Writer::open_line(int indent, bool blank_before) {
  Line& current = lines_.back();
  // Spaces the printer put before a break (never those of a verbatim literal) are not kept.
  while (current.text.size() > current.raw_end && current.text.back() == ' ') {
    current.text.pop_back();
  }
  bool empty =
      !current.blank && !current.own_comment && current.text.empty() && current.comment.empty();
  if (empty) {
    if (blank_before) {
      current.blank = true;
      lines_.emplace_back();
    }
    lines_.back().indent = indent;
    return;
  }
  if (blank_before) {
    lines_.emplace_back();
    lines_.back().blank = true;
  }
  lines_.emplace_back();
  lines_.back().indent = indent;
}

void Writer::line_break(uint32_t next, int indent, int comment_indent, Blanks blanks) {
  uint32_t prev = last_end_;
  bool first = true;  // no own-line comment placed yet in this break
  // The last own-line comment placed is a `##` that documents nothing: what follows must not be
  // the construct or doc comment right below it.
  bool guard = false;
  for (; next_comment_ < comments_.size() && comments_[next_comment_].span.begin < next;
       ++next_comment_) {
    if (done_[next_comment_]) continue;
    const ast::Comment& comment = comments_[next_comment_];
    done_[next_comment_] = true;
    if (comment.trailing && can_attach()) {
      Line& line = lines_.back();
      line.comment = comment_text(comment);
      line.comment_column = source_column(comment.span.begin);
    } else {
      bool blank = (blank_between(prev, comment.span.begin) && (!first || blanks.before_first)) ||
                   (guard && is_doc_[next_comment_]);
      open_line(comment_indent, blank);
      Line& line = lines_.back();
      line.text = comment_text(comment);
      line.raw_end = line.text.size();
      line.own_comment = true;
      first = false;
      guard = comment.doc && !is_doc_[next_comment_];
    }
    prev = std::max(prev, comment.span.end);
  }
  bool blank =
      (blank_between(prev, next) && blanks.before_next && (!first || blanks.before_first)) ||
      (guard && is_doc_target(next));
  open_line(indent, blank);
  advance(prev);
}

std::string Writer::finish() {
  line_break(static_cast<uint32_t>(source_.size()) + 1, 0, 0, Blanks{true, false});
  return render(lines_);
}

std::string render(const std::vector<Line>& lines) {
  std::string out;
  bool pending_blank = false;
  for (const Line& line : lines) {
    if (line.blank) {
      pending_blank = !out.empty();
      continue;
    }
    if (line.text.empty() && line.comment.empty()) continue;
    if (pending_blank) out += '\n';
    pending_blank = false;
    size_t line_start = out.size();
    out.append(static_cast<size_t>(line.indent) * 2, ' ');
    out += line.text;
    if (!line.comment.empty()) {
      size_t last = out.rfind('\n');
      size_t from = (last == std::string::npos || last < line_start) ? line_start : last + 1;
      uint32_t width = source::count_code_points(std::string_view(out).substr(from));
      uint32_t column = trailing_comment_column(width, line.comment_column);
      out.append(column - width, ' ');
      out += line.comment;
    }
    out += '\n';
  }
  return out;
}

}  // namespace kc::format
