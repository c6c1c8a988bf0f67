// The hand-written lexer (LANGUAGE.md section 2): source text in, tokens with byte offsets,
// comments and lexical diagnostics (E0101 stray characters, E0102 unterminated strings, E0103 bad
// literals) out. It never fails: every byte ends up in a token, a comment, whitespace or a
// diagnostic. The parser feeds these tokens to ANTLR (parse.cpp); the formatter and the language
// server may use them directly.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace kc::syntax {

enum class TokenKind : uint8_t {
#define KC_TOKEN(name, spelling) name,
#include "compiler/syntax/token_kinds.def"
#undef KC_TOKEN
};

// "`{`", "a string": how diagnostics name a kind.
std::string_view spelling(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::END;
  // A lexical diagnostic was reported on this token, or on characters skipped right before it;
  // the parser stays quiet about errors it would find here.
  bool reported = false;
  // Nothing but whitespace and comments precedes it on its line.
  bool first_on_line = false;
  uint32_t begin = 0;  // byte offsets into the text
  uint32_t end = 0;
  uint32_t line = 1;        // 1-based
  uint32_t line_begin = 0;  // byte offset of the start of its line
};

struct LexResult {
  std::vector<Token> tokens;           // ends with one END token (empty span at the end)
  std::vector<ast::Comment> comments;  // in source order
};

// Tokenizes one file's text. Spans in diagnostics and comments refer to `file`.
//
// Choices where the language leaves room (LANGUAGE.md section 2):
// - A number glued to letters, or dotted numbers that are no address (`16GB`, `5mins`, `1.2.3`,
//   `0x1g`, `1_`, `v1.29`), is one BAD_LITERAL token with an E0103 that says how to write it. So
//   is a well-formed literal whose value is out of range (`99999999999999999999`, `300.0.0.1`).
// - `%` right after a number is part of a percent literal (`40%`) unless a name, a digit or `(`
//   follows it: `10%3` and `10%x` are modulo, as are `10 % 3` and `a % b`.
// - `..` ends a number: `1..5` is INT RANGE INT; `/` with digits after an IPv4 address makes a
// CIDR.
// - `v` with a number, a dot and a digit starts a version (`v1.29.4`, `v1.30.0-rc.1+build.5`);
//   `v1` and `v1x` are names, and `v1.29.4.major` is member access on a version.
// - The interpolation of a single-line string ends with its line: at a line break inside `${` the
//   string is unterminated (E0102), and an empty STRING_CLOSE (reported) closes it so the parser
//   sees a complete string. The same happens to every open string at the end of the file.
// - `'text'` and `“text”` are one BAD_LITERAL with a diagnostic that asks for double quotes.
LexResult lex(std::string_view text, source::FileId file, diag::Diagnostics& diags);

// What a string token holds between its delimiters, for the decoders in literals.h.
struct StringTokenText {
  std::string_view raw;     // after `"`, `"""` or `}`; before `${`, `"` or `"""`
  bool triple = false;      // the string is triple-quoted
  bool terminated = false;  // the closing quote(s) are there (always true for OPEN and MIDDLE)
};
// `token_text` is the text of a STRING, STRING_OPEN, STRING_MIDDLE or STRING_CLOSE token (empty
// text for any other kind gives an empty result). STRING and STRING_OPEN tell from their text
// whether the string is triple-quoted; for STRING_MIDDLE and STRING_CLOSE pass `triple` from the
// string's STRING_OPEN.
StringTokenText string_token_text(TokenKind kind, std::string_view token_text, bool triple = false);

}  // namespace kc::syntax
