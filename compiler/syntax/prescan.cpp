// prescan(): drops brackets nested deeper than kMaxNesting (prescan.h), once per too-deep region.
#include "compiler/syntax/prescan.h"

#include <fmt/format.h>

#include "compiler/syntax/parse.h"

namespace kc::syntax {

namespace {

bool opens(TokenKind kind) {
  return kind == TokenKind::LBRACE || kind == TokenKind::LBRACK || kind == TokenKind::LPAREN ||
         kind == TokenKind::STRING_OPEN;
}

bool closes(TokenKind kind) {
  return kind == TokenKind::RBRACE || kind == TokenKind::RBRACK || kind == TokenKind::RPAREN ||
         kind == TokenKind::STRING_CLOSE;
}

}  // namespace

Prescanned prescan(const LexResult& lexed, source::FileId file, diag::Diagnostics& diags) {
  Prescanned out;
  out.kept.reserve(lexed.tokens.size());
  out.depths.reserve(lexed.tokens.size());
  out.reported.reserve(lexed.tokens.size());
  int depth = 0;
  int drop_above = -1;  // while >= 0, tokens nested deeper than this are dropped
  for (size_t i = 0; i < lexed.tokens.size(); ++i) {
    const Token& t = lexed.tokens[i];
    int before = depth;
    bool reported = t.reported;
    if (opens(t.kind) && ++depth > kMaxNesting && drop_above < 0) {
      drop_above = depth - 1;
      // The lexer reports interpolations nested too deep itself.
      if (!t.reported) {
        diags
            .error(diag::Code::E0101, source::Span{file, t.begin, t.end},
                   fmt::format("nesting deeper than {} levels", kMaxNesting))
            .with_label("too deep")
            .with_note("split the value into named `let` bindings");
      }
      // The opener that stays in the stream is the one before: mark the region on the next kept
      // token instead, which is the token after the dropped region.
      reported = true;
    }
    bool drop = drop_above >= 0 && t.kind != TokenKind::END;
    if (closes(t.kind) && depth > 0 && --depth == drop_above) drop_above = -1;
    if (drop) {
      // The diagnostic belongs to the declaration the region is in: flag the last kept token.
      if (reported && !out.reported.empty()) out.reported.back() = true;
      continue;
    }
    out.kept.push_back(static_cast<uint32_t>(i));
    out.depths.push_back(static_cast<uint16_t>(before));
    out.reported.push_back(reported);
  }
  return out;
}

}  // namespace kc::syntax
