// The parser's look at the tokens before ANTLR sees them: brackets nested deeper than kMaxNesting
// are reported and dropped with everything inside them, so the recursive-descent parser never
// goes that deep, and the bracket depth of every token is recorded for error recovery.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/lexer.h"

namespace kc::syntax {

struct Prescanned {
  std::vector<uint32_t> kept;    // indexes into LexResult::tokens of what the parser sees; END last
  std::vector<uint16_t> depths;  // bracket depth before each kept token
  std::vector<uint8_t> reported;  // per kept token: a diagnostic (lexical or nesting) is on it
};

// `(` `[` `{` and STRING_OPEN open a level; their closers and STRING_CLOSE close one.
Prescanned prescan(const LexResult& lexed, source::FileId file, diag::Diagnostics& diags);

}  // namespace kc::syntax
