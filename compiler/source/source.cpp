// Source files, spans and the byte-offset -> line/column mapping (columns in code points), and the
// path shown for a file in diagnostics.
#include "compiler/source/source.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace kc::source {

Span Span::cover(Span a, Span b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return Span{a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

SourceFile::SourceFile(std::string display_path, std::string text)
    : path_(std::move(display_path)), text_(std::move(text)) {}

// A line starts at offset 0 and after every '\n'; so a file ending in '\n' has a final empty line,
// which is where an offset at the very end of such a file lands. Built on first use (not safe to
// race with another first use from a second thread).
void SourceFile::build_line_table() const {
  if (!line_starts_.empty()) return;
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

LineCol SourceFile::line_col(uint32_t offset) const {
  build_line_table();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  // The last line start that is <= offset.
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t index = static_cast<size_t>(it - line_starts_.begin()) - 1;
  uint32_t start = line_starts_[index];
  uint32_t column = count_code_points(std::string_view(text_).substr(start, offset - start)) + 1;
  return LineCol{static_cast<uint32_t>(index + 1), column};
}

std::string_view SourceFile::line_text(uint32_t line) const {
  build_line_table();
  if (line == 0 || line > line_starts_.size()) return {};
  size_t start = line_starts_[line - 1];
  size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();  // at the '\n'
  if (line < line_starts_.size() && end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

uint32_t SourceFile::line_count() const {
  build_line_table();
  return static_cast<uint32_t>(line_starts_.size());
}

FileId SourceManager::add(std::string display_path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(display_path), std::move(text)));
  return static_cast<FileId>(files_.size() - 1);
}

std::string_view SourceManager::text(Span span) const {
  if (!span.valid() || span.file >= files_.size()) return {};
  std::string_view all = files_[span.file]->text();
  size_t begin = std::min<size_t>(span.begin, all.size());
  size_t end = std::clamp<size_t>(span.end, begin, all.size());
  return all.substr(begin, end - begin);
}

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 when it is not one.
size_t utf8_sequence_length(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t min_code_point = 0;
  uint32_t code_point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, min_code_point = 0x80, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min_code_point = 0x800, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min_code_point = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;  // a continuation byte or an invalid lead
  }
  if (s.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not well formed.
  if (code_point < min_code_point || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

}  // namespace

uint32_t count_code_points(std::string_view utf8) {
  uint32_t count = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t length = utf8_sequence_length(utf8.substr(i));
    i += length == 0 ? 1 : length;
    ++count;
  }
  return count;
}

std::string display_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec || path.empty()) return path;
  auto below = [](const fs::path& target, const fs::path& base) -> std::string {
    fs::path relative = target.lexically_relative(base);
    if (relative.empty()) return {};
    auto first = relative.begin();
    if (first != relative.end() && *first == "..") return {};
    return relative.generic_string();
  };
  fs::path absolute = fs::absolute(fs::path(path), ec).lexically_normal();
  if (ec) return path;
  if (std::string relative = below(absolute, cwd.lexically_normal()); !relative.empty()) {
    return relative;
  }
  // The same test after resolving symlinks, for a current directory reached through one.
  fs::path real_target = fs::weakly_canonical(absolute, ec);
  if (ec) return path;
  fs::path real_cwd = fs::weakly_canonical(cwd, ec);
  if (ec) return path;
  if (std::string relative = below(real_target, real_cwd); !relative.empty()) return relative;
  return path;
}

}  // namespace kc::source
