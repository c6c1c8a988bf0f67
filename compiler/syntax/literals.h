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
