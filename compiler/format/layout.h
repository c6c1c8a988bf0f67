// The formatter's output model: lines of code at an indentation level, own-line comments and blank
// lines, and the one place that decides where every source comment goes (docs/formatting.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/ast.h"

namespace kc::format {

// The column (0-based, in code points) of a trailing comment that stood at `original_column` in
// the source, after code now `code_width` columns wide: kept where it was when that is at least two
// columns past the code (hand-aligned comments stay aligned), else exactly two spaces after it.
uint32_t trailing_comment_column(uint32_t code_width, uint32_t original_column);

struct Line {
  int indent = 0;    // in levels of two spaces
  std::string text;  // code, or an own-line comment; a multi-line string literal embeds '\n'
  bool own_comment = false;
  bool blank = false;
  std::string comment;  // the trailing comment, if any
  uint32_t comment_column = 0;
  size_t raw_end = 0;  // text before this offset came verbatim from the source (never trimmed)
};

// Which blank lines of the source a line break keeps (runs always collapse to one).
struct Blanks {
  bool before_first = true;  // a blank line right after the code before the break
  bool before_next = true;   // a blank line right before the code after the break
};

// Accumulates lines while the printer walks the tree in source order. Every comment of the file is
// emitted exactly once, in source order: at the line break that first passes it, as the trailing
// comment of the line being ended when it trailed code in the source and that line has none yet,
// otherwise on a line of its own.
class Writer {
 public:
  // `doc_targets`: where the constructs that take doc comments (declarations, schema items, enum
  // members, body items) begin; a `##` comment that documents none of them in the source is kept
  // from becoming the doc of one in the output by a blank line after it.
  Writer(std::string_view source, const std::vector<ast::Comment>& comments,
         std::vector<uint32_t> doc_targets);

  // Appends text to the current line.
  void put(std::string_view text);
  // Appends the source text of `span` as written; comments inside it are part of that text.
  void put_source(source::Span span);
  // Records that the source up to `pos` has been printed (for blank-line and comment placement).
  void advance(uint32_t pos);

  // Ends the current line before the source position `next`: comments before `next` are placed
  // (own-line ones at `comment_indent`), then a new line at `indent` begins.
  void line_break(uint32_t next, int indent, int comment_indent, Blanks blanks);

  int indent() const { return lines_.back().indent; }
  size_t line_index() const { return lines_.size() - 1; }
  Line& line(size_t index) { return lines_[index]; }
  uint32_t printed_up_to() const { return last_end_; }

  // Places the remaining comments and returns the text: LF endings, one final newline, no
  // trailing whitespace, no blank line at either end and never two in a row.
  std::string finish();

 private:
  void open_line(int indent, bool blank_before);
  bool can_attach() const;
  bool blank_between(uint32_t from, uint32_t to) const;
  bool one_line_break(uint32_t from, uint32_t to) const;
  bool is_doc_target(uint32_t pos) const;
  uint32_t source_column(uint32_t offset) const;
  std::string comment_text(const ast::Comment& comment) const;

  std::string_view source_;
  std::vector<ast::Comment> comments_;
  std::vector<bool> done_;
  std::vector<bool> is_doc_;           // the comment is (part of) the doc of the construct below it
  std::vector<uint32_t> doc_targets_;  // sorted
  size_t next_comment_ = 0;
  uint32_t last_end_ = 0;
  std::vector<Line> lines_;
};

// Renders lines as text (see Writer::finish).
std::string render(const std::vector<Line>& lines);

}  // namespace kc::format
