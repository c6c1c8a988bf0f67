// UTF-8 walking for position conversions. Invalid bytes count as one character each, in every
// encoding, so that no offset is unreachable.
#include "lsp/server/positions.h"

#include <algorithm>

namespace kc::lsp {
namespace {

// The length in bytes of the UTF-8 sequence that starts with `lead` (1 for invalid lead bytes).
uint32_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

// The byte length and the width in `encoding` units of the character starting at `at`.
std::pair<uint32_t, uint32_t> character_at(std::string_view text, uint32_t at,
                                           PositionEncoding encoding) {
  uint32_t bytes = sequence_length(static_cast<unsigned char>(text[at]));
  if (at + bytes > text.size()) bytes = 1;
  for (uint32_t i = 1; i < bytes; ++i) {
    if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) {
      bytes = 1;
      break;
    }
  }
  switch (encoding) {
    case PositionEncoding::Utf8:
      return {bytes, bytes};
    case PositionEncoding::Utf32:
      return {bytes, 1};
    case PositionEncoding::Utf16:
      return {bytes, bytes == 4 ? 2u : 1u};
  }
  return {bytes, 1};
}

}  // namespace

std::string_view encoding_name(PositionEncoding encoding) {
  switch (encoding) {
    case PositionEncoding::Utf8:
      return "utf-8";
    case PositionEncoding::Utf32:
      return "utf-32";
    case PositionEncoding::Utf16:
      return "utf-16";
  }
  return "utf-16";
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

uint32_t LineIndex::line_end(uint32_t line) const {
  if (line + 1 >= starts_.size()) return static_cast<uint32_t>(text_.size());
  uint32_t end = starts_[line + 1] - 1;  // the LF
  if (end > starts_[line] && text_[end - 1] == '\r') --end;
  return end;
}

Position LineIndex::position(uint32_t offset, PositionEncoding encoding) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts_.begin()) - 1;
  uint32_t at = starts_[line];
  uint32_t character = 0;
  while (at < offset) {
    auto [bytes, width] = character_at(text_, at, encoding);
    if (at + bytes > offset) break;  // inside a character: its start
    at += bytes;
    character += width;
  }
  return Position{line, character};
}

uint32_t LineIndex::offset(Position position, PositionEncoding encoding) const {
  if (position.line >= starts_.size()) return static_cast<uint32_t>(text_.size());
  uint32_t at = starts_[position.line];
  uint32_t end = line_end(position.line);
  uint32_t character = 0;
  while (at < end && character < position.character) {
    auto [bytes, width] = character_at(text_, at, encoding);
    if (character + width > position.character) break;  // inside a surrogate pair
    at += bytes;
    character += width;
  }
  return at;
}

}  // namespace kc::lsp
