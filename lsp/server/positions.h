// Conversions between byte offsets (how the compiler's spans count) and LSP positions (line and
// character, where a character is a UTF-16 code unit unless the client agreed on UTF-8 or UTF-32).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kc::lsp {

enum class PositionEncoding { Utf16, Utf8, Utf32 };

// "utf-16", "utf-8", "utf-32": the names LSP 3.17 uses in `positionEncoding`.
std::string_view encoding_name(PositionEncoding encoding);

struct Position {
  uint32_t line = 0;       // 0-based
  uint32_t character = 0;  // 0-based, in units of the encoding
  friend bool operator==(const Position&, const Position&) = default;
};

// The start of every line of one text. Lines end at LF; a CR before the LF belongs to the line
// ending, as LSP says. The text must outlive the index.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  // The position of byte `offset` (clamped to the text). An offset inside a multi-byte character
  // maps to that character's start.
  Position position(uint32_t offset, PositionEncoding encoding) const;
  // The byte offset of `position`. A line past the end maps to the end of the text; a character
  // past the end of its line maps to the line's end (before its CR LF), as LSP asks.
  uint32_t offset(Position position, PositionEncoding encoding) const;
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  uint32_t line_end(uint32_t line) const;  // the byte offset of the line's terminator

  std::string_view text_;
  std::vector<uint32_t> starts_;
};

}  // namespace kc::lsp
