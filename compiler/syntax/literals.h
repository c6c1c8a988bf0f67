// Values of literal tokens (LANGUAGE.md section 2): string decoding and dedent, integers, floats,
// and validation of domain literals through the sdk parsers. Pure functions of the token text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/ast.h"

namespace kc::syntax {

// A problem inside one literal; offsets are bytes from the start of the token's text.
struct LiteralProblem {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string message;
};

struct DecodedString {
  std::string value;  // escapes decoded, valid UTF-8
  std::vector<LiteralProblem> problems;
};

// Decodes a whole string token: `"..."` or `"""..."""`, quotes included. `terminated` is false for
// a string cut off by the end of its line or file (the token then has no closing quotes). A
// triple-quoted string drops the line break right after the opening quotes and loses the leading
// indentation common to its lines (a closing `"""` on a line of its own counts for the indentation
// and leaves the value ending in a line break); lines of only blanks become empty.
DecodedString decode_string(std::string_view text, bool terminated);

// The decoded text of each literal part of an interpolated string `"a${x}b${y}c"` (parts "a", "b",
// "c"), given the raw source text of each part: what lies between the opening quote(s) or a `}` and
// the next `${` or the closing quote(s), delimiters excluded (lexer.h string_token_raw gives it).
// There is always one more part than interpolations; parts may be empty. Escapes are decoded as in
// decode_string; a bad escape decodes to nothing. For a triple-quoted string (`triple`) the line
// break right after the opening quotes is dropped and the common indentation is computed over the
// whole string, as in decode_string, with each interpolation counting as non-blank text on its
// line; every line break lands in the part whose raw text holds it. `terminated` is false when the
// string has no closing quotes. Problems are not reported: the lexer reported them.
std::vector<std::string> decode_string_parts(const std::vector<std::string_view>& raw_parts,
                                             bool triple, bool terminated = true);

// One escape sequence of a string: the bytes starting at text[at], which is `\`.
struct Escape {
  uint32_t length = 1;  // bytes it covers, at least 1 and never past the end of `text`
  bool valid = false;
  char32_t value = 0;   // the character it stands for, when valid
  std::string problem;  // what is wrong and how to write it, when not valid
};
// Reads only the escape's own bytes: a backslash at the end of `text` or before a line break is
// invalid with length 1; a malformed `\u{...}` covers at most its braces and the letters and
// digits between them.
Escape scan_escape(std::string_view text, size_t at);

// `42`, `1_000`, `0x1f`; nullopt with `error` set when it does not fit in an int64.
std::optional<int64_t> parse_int(std::string_view text, std::string* error);
// `0.5`, `2.5e3`, `1_000.5`; nullopt with `error` set when out of range.
std::optional<double> parse_float(std::string_view text, std::string* error);

// The lexer rule that matched a domain-literal-like token.
enum class DomainShape : uint8_t {
  Duration,
  Bytes,
  Percent,
  Version,
  Ip,
  Cidr,
  BadNumber,
  BadVersion
};

struct DomainCheck {
  std::optional<ast::DomainLit::Kind> kind;  // set when the literal is valid
  std::string error;                         // otherwise: what is wrong and how to write it
  std::string replacement;                   // a single suggested spelling, when there is one
};

// Validates a domain literal with the sdk parsers. Malformed numbers (`16GB`, `5mins`, `1.2.3`) are
// checked by the parser of the kind they most resemble, for its message.
DomainCheck check_domain(std::string_view text, DomainShape shape);

}  // namespace kc::syntax
