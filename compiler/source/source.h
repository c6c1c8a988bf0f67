// Source files and spans. Spans are byte offsets into a file's text; lines and columns are computed
// only when a diagnostic or tool prints them (columns count Unicode code points).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kc::source {

using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

// A half-open byte range [begin, end) in one file. A span with file == kNoFile points nowhere (used
// by diagnostics that are not about source text, such as a held state lock).
struct Span {
  FileId file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool valid() const { return file != kNoFile; }
  uint32_t size() const { return end - begin; }
  // The smallest span covering both (both must be in the same file).
  static Span cover(Span a, Span b);
  friend bool operator==(const Span&, const Span&) = default;
};

// A 1-based line and a 1-based column in code points.
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};

// One loaded file. Owns its text; the line table is built on first use.
class SourceFile {
 public:
  SourceFile(std::string display_path, std::string text);

  // The path as printed in diagnostics (relative to the current directory when it was loaded).
  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }

  LineCol line_col(uint32_t offset) const;
  // The text of a 1-based line without its line terminator.
  std::string_view line_text(uint32_t line) const;
  uint32_t line_count() const;

 private:
  void build_line_table() const;

  std::string path_;
  std::string text_;
  mutable std::vector<uint32_t> line_starts_;
};

// Owns every file of a compilation. FileIds index into it and stay valid for its lifetime.
class SourceManager {
 public:
  FileId add(std::string display_path, std::string text);
  const SourceFile& file(FileId id) const { return *files_[id]; }
  size_t size() const { return files_.size(); }
  std::string_view text(Span span) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

// Number of code points in a UTF-8 byte range (invalid bytes count one each).
uint32_t count_code_points(std::string_view utf8);

// The path to print for a file: relative to the current directory when it lies below it.
std::string display_path(const std::string& path);

}  // namespace kc::source
