// Lenient UTF-8 decoding for the parser: invalid bytes decode as U+FFFD one byte at a time, the way
// source::count_code_points counts them, so code-point indexes and byte offsets always agree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kc::syntax::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
  char32_t code_point = kReplacement;
  uint32_t length = 1;  // bytes consumed, at least 1
  bool valid = false;
};

// Decodes the code point starting at `at` (which must be < text.size()). Overlong forms,
// surrogates and values above U+10FFFF are invalid.
Decoded decode(std::string_view text, size_t at);

// Appends `cp` (a valid scalar value) encoded as UTF-8.
void append(std::string& out, char32_t cp);

// Appends `text` with every invalid byte replaced by U+FFFD, so the result is valid UTF-8.
void append_valid(std::string& out, std::string_view text);

}  // namespace kc::syntax::utf8
