// The parser (parse.h): runs the generated ANTLR lexer and parser over one file, reports syntax
// errors in plain words, and converts the parse tree into ast::File. No ANTLR type leaves this
// file.
#include "compiler/syntax/parse.h"

#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <memory>

#include "KclLexer.h"
#include "KclParser.h"
#include "compiler/syntax/literals.h"
#include "compiler/syntax/utf8.h"

namespace kc::syntax {

namespace {

using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::misc::IntervalSet;
using diag::Code;
using grammar::KclLexer;
using grammar::KclParser;
using source::Span;

// Brackets, braces and parentheses may nest this deep; deeper input is reported, not parsed, so
// neither the recursive-descent parser nor later phases can run out of stack.
constexpr int kMaxDepth = 256;

// ---- Text positions ----

// ANTLR indexes characters by code point; the AST uses byte offsets. This maps one to the other.
class TextMap {
 public:
  TextMap(std::string_view text, source::FileId file) : text_(text), file_(file) {
    offsets_.reserve(text.size() + 1);
    size_t i = 0;
    while (i < text.size()) {
      utf8::Decoded d = utf8::decode(text, i);
      offsets_.push_back(static_cast<uint32_t>(i));
      code_points_.push_back(d.code_point);
      i += d.length;
    }
    offsets_.push_back(static_cast<uint32_t>(text.size()));
  }

  // Invalid bytes are U+FFFD here, so ANTLR's own UTF-8 conversions never fail.
  std::u32string take_code_points() { return std::move(code_points_); }

  // Tokens conjured by error recovery have no text; they are placed at the end of the file.
  Span span(const Token* t) const {
    if (t->getType() == Token::EOF || t->getStartIndex() == INVALID_INDEX) return eof();
    return {file_, byte(t->getStartIndex()), byte(t->getStopIndex() + 1)};
  }
  Span span(const Token* first, const Token* last) const {
    Span a = span(first);
    if (last == nullptr || last->getTokenIndex() < first->getTokenIndex())
      return {file_, a.begin, a.begin};
    return {file_, a.begin, std::max(a.begin, span(last).end)};
  }
  // From the first token of `ctx` that is really part of it (error recovery may have deleted the
  // token the rule started at) to its last.
  Span span(ParserRuleContext* ctx) const {
    const Token* first = first_token(ctx);
    return span(first != nullptr ? first : ctx->getStart(), ctx->getStop());
  }

  static const Token* first_token(antlr4::tree::ParseTree* tree) {
    for (antlr4::tree::ParseTree* child : tree->children) {
      if (dynamic_cast<antlr4::tree::ErrorNode*>(child) != nullptr) continue;
      if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
        const Token* t = terminal->getSymbol();
        if (t != nullptr && t->getStartIndex() != INVALID_INDEX) return t;
        continue;
      }
      if (const Token* t = first_token(child)) return t;
    }
    return nullptr;
  }
  Span eof() const {
    auto end = static_cast<uint32_t>(text_.size());
    return {file_, end, end};
  }
  std::string_view text(const Token* t) const {
    Span s = span(t);
    return text_.substr(s.begin, s.size());
  }
  source::FileId file() const { return file_; }

 private:
  uint32_t byte(size_t code_point) const {
    return code_point < offsets_.size() ? offsets_[code_point] : offsets_.back();
  }

  std::string_view text_;
  source::FileId file_;
  std::vector<uint32_t> offsets_;  // byte offset of each code point, then the text size
  std::u32string code_points_;
};

// A char stream over code points decoded by TextMap.
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(std::u32string data) {
    _data = std::move(data);
    p = 0;
  }
};

// A token created by error recovery stands for something missing from the text.
bool is_missing(const Token* t) {
  return t == nullptr || t->getStartIndex() == INVALID_INDEX;
}

bool is_decl_keyword(size_t type) {
  return type == KclParser::IMPORT || type == KclParser::LET || type == KclParser::PARAM ||
         type == KclParser::OUTPUT;
}

// Declarations of the full language that this parser does not accept yet.
bool is_unsupported_decl_keyword(size_t type) {
  return type == KclParser::TYPE || type == KclParser::ENUM || type == KclParser::SCHEMA ||
         type == KclParser::FN || type == KclParser::PROVIDER || type == KclParser::BACKEND;
}

// Tokens that can name a field: identifiers and keywords. KclLexer.g4 keeps the 23 keywords of
// LANGUAGE.md section 2 contiguous, from IMPORT to SELF.
static_assert(KclParser::SELF - KclParser::IMPORT + 1 == 23);
bool is_field_name(size_t type) {
  return type == KclParser::IDENT || (type >= KclParser::IMPORT && type <= KclParser::SELF);
}

// ---- Syntax errors ----

// Reports syntax errors (E0101) as sentences and keeps error recovery from cascading: after one
// error, nothing more is reported until a new declaration starts at the beginning of a line. Errors
// in a declaration that already has a lexical diagnostic (an unterminated string, nesting too deep)
// are not reported either.
class SyntaxErrors final : public antlr4::DefaultErrorStrategy {
 public:
  SyntaxErrors(const TextMap& text, const source::SourceFile& source,
               const antlr4::dfa::Vocabulary& vocabulary, diag::Diagnostics& diags,
               std::vector<size_t> pre_reported, std::vector<int> depths)
      : text_(text),
        source_(source),
        vocabulary_(vocabulary),
        diags_(diags),
        pre_reported_(std::move(pre_reported)),
        depths_(std::move(depths)) {}

  // Called when the parser enters the `decl` rule.
  void enter_decl(antlr4::Parser* parser) {
    antlr4::TokenStream* in = parser->getTokenStream();
    decl_start_ = in->LT(1)->getTokenIndex();
    if (starts_decl_line(in)) suppressed_ = false;
  }

  // Between declarations, skips anything that cannot start one (reporting it once) instead of the
  // default recovery, which could give up on the rest of the file. Before an expression, refuses
  // `name =`: that starts the next item or declaration, so the expression is missing.
  void sync(antlr4::Parser* parser) override {
    antlr4::TokenStream* in = parser->getTokenStream();
    ParserRuleContext* ctx = parser->getContext();
    if (ctx->getRuleIndex() == KclParser::RulePrimary && ctx->children.empty() &&
        in->LA(1) == KclParser::IDENT && in->LA(2) == KclParser::ASSIGN) {
      throw antlr4::InputMismatchException(parser);
    }
    if (ctx->getRuleIndex() == KclParser::RulePostfix && in->LA(1) == KclParser::DOT &&
        is_field_name(in->LA(2)) && in->LA(3) == KclParser::ASSIGN &&
        in->LT(2)->getLine() > in->LT(1)->getLine()) {
      // `x.` at the end of a line, then `name = ...`: the member name is missing.
      report(in->LT(1), "expected a field name after `.`",
             fmt::format("`{} =` on the next line starts a new assignment", text_.text(in->LT(2))));
      beginErrorCondition(parser);
      parser->consume();
      return;
    }
    if (ctx->getRuleIndex() != KclParser::RuleFile) {
      DefaultErrorStrategy::sync(parser);
      return;
    }
    while (true) {
      size_t la = in->LA(1);
      if (la == Token::EOF) return;
      // After an error, recovery may have left a bracket early: its remaining lines are skipped.
      if (suppressed_ && !starts_decl_line(in)) {
        skip_to_next_decl(parser);
        continue;
      }
      if (la == KclParser::IDENT || is_decl_keyword(la)) return;
      Token* t = in->LT(1);
      if (is_unsupported_decl_keyword(la)) {
        if (starts_decl_line(in)) suppressed_ = false;
        decl_start_ = t->getTokenIndex();
        report(t, fmt::format("`{}` declarations are not supported yet", text_.text(t)), "");
      } else {
        report(t, unexpected(t), "expected a declaration");
      }
      skip_to_next_decl(parser);
    }
  }

 protected:
  void reportNoViableAlternative(antlr4::Parser* parser,
                                 const antlr4::NoViableAltException& e) override {
    Token* offending = e.getOffendingToken();
    IntervalSet expected = e.getExpectedTokens();
    if (report_unclosed(parser, offending, expected)) return;
    std::string what;
    switch (parser->getContext()->getRuleIndex()) {
      case KclParser::RuleItem: {
        const Token* field = previous_token(parser, offending);
        what = field == nullptr ? "`=` or `{`"
                                : fmt::format("`=` or `{{` after `{}`", text_.text(field));
        report(offending, fmt::format("expected {}", what), found(offending));
        return;
      }
      case KclParser::RuleExpr:
      case KclParser::RulePostfix:
      case KclParser::RulePrimary:
        what = "an expression";
        break;
      case KclParser::RuleTypeExpr:
      case KclParser::RuleTypeAtom:
        what = "a type";
        break;
      case KclParser::RuleDecl:
        what = "a declaration";
        break;
      case KclParser::RuleFieldName:
        what = "a field name";
        break;
      case KclParser::RuleString:
        what = "a string";
        break;
      case KclParser::RuleResourceLabel:
        what = "a label (a name or a string)";
        break;
      default:
        what = describe(expected);
        break;
    }
    report(offending, fmt::format("expected {}, found {}", what, phrase(offending)), "");
  }

  void reportInputMismatch(antlr4::Parser* parser,
                           const antlr4::InputMismatchException& e) override {
    report_expected(parser, e.getOffendingToken(), e.getExpectedTokens());
  }

  void reportFailedPredicate(antlr4::Parser*, const antlr4::FailedPredicateException& e) override {
    report(e.getOffendingToken(), unexpected(e.getOffendingToken()), "");
  }

  // Deleting a token is a good guess only within a line: across a line break the next token more
  // likely starts something new (`a = }` then `b = 1` must not become `a = b`).
  Token* singleTokenDeletion(antlr4::Parser* parser) override {
    antlr4::TokenStream* in = parser->getTokenStream();
    if (in->LT(2)->getLine() > in->LT(1)->getLine()) return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(parser);
  }

  // Likewise, conjuring a missing token is a good guess only when the current token does not start
  // a new line with something that begins an assignment or declaration (`param p` then `q = 2`).
  bool singleTokenInsertion(antlr4::Parser* parser) override {
    antlr4::TokenStream* in = parser->getTokenStream();
    Token* before = in->LT(-1);
    size_t la = in->LA(1);
    bool starts_something = is_decl_keyword(la) || is_unsupported_decl_keyword(la) ||
                            (is_field_name(la) && in->LA(2) == KclParser::ASSIGN);
    if (before != nullptr && in->LT(1)->getLine() > before->getLine() && starts_something) {
      return false;
    }
    return DefaultErrorStrategy::singleTokenInsertion(parser);
  }

  // The current token is extra: the one after it is what the parser expected.
  void reportUnwantedToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    Token* t = parser->getCurrentToken();
    IntervalSet expected = getExpectedTokens(parser);
    if (report_unclosed(parser, t, expected)) return;
    std::vector<std::string> parts = expected_parts(expected);
    report(t, unexpected(t), parts.size() <= 3 ? "expected " + join(parts) : "");
  }

  // One token is missing before the current one; recovery pretends it was there.
  void reportMissingToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    report_expected(parser, parser->getCurrentToken(), getExpectedTokens(parser));
  }

 private:
  void report_expected(antlr4::Parser* parser, Token* offending, const IntervalSet& expected) {
    if (report_unclosed(parser, offending, expected)) return;
    std::vector<std::string> parts = expected_parts(expected);
    const Token* before = previous_token(parser, offending);
    if (parts.size() == 1 && parts[0].starts_with('`') && before != nullptr) {
      report(offending, fmt::format("expected {} after `{}`", parts[0], text_.text(before)),
             found(offending));
      return;
    }
    std::string label;
    if (offending->getType() == KclParser::IDENT && next_is_assign(parser, offending)) {
      label = fmt::format("`{} =` starts the next assignment", text_.text(offending));
    }
    report(offending, fmt::format("expected {}, found {}", join(parts), phrase(offending)),
           std::move(label));
  }

  // "expected `}` to close the block opened at 3:14", when a bracket is open, its closer would fit
  // here, and what came instead looks like the end of the bracket's contents.
  bool report_unclosed(antlr4::Parser* parser, Token* offending, const IntervalSet& expected) {
    struct Open {
      const Token* opener = nullptr;
      size_t closer = 0;
      const char* what = "";
    };
    Open open;
    for (antlr4::RuleContext* c = parser->getContext(); c != nullptr && open.opener == nullptr;
         c = dynamic_cast<antlr4::RuleContext*>(c->parent)) {
      auto take = [&](antlr4::tree::TerminalNode* opener, antlr4::tree::TerminalNode* closer,
                      size_t closer_type, const char* what) {
        if (opener != nullptr && closer == nullptr) open = {opener->getSymbol(), closer_type, what};
      };
      if (auto* b = dynamic_cast<KclParser::BodyContext*>(c)) {
        take(b->LBRACE(), b->RBRACE(), KclParser::RBRACE, "block");
      } else if (auto* l = dynamic_cast<KclParser::ListLitContext*>(c)) {
        take(l->LBRACK(), l->RBRACK(), KclParser::RBRACK, "list");
      } else if (auto* p = dynamic_cast<KclParser::ParenExprContext*>(c)) {
        take(p->LPAREN(), p->RPAREN(), KclParser::RPAREN, "parenthesis");
      } else if (auto* lt = dynamic_cast<KclParser::ListTypeContext*>(c)) {
        take(lt->LBRACK(), lt->RBRACK(), KclParser::RBRACK, "list type");
      } else if (auto* mt = dynamic_cast<KclParser::MapTypeContext*>(c)) {
        take(mt->LBRACE(), mt->RBRACE(), KclParser::RBRACE, "map type");
      }
    }
    if (open.opener == nullptr || is_missing(open.opener) || !expected.contains(open.closer)) {
      return false;
    }
    size_t type = offending->getType();
    bool other_closer =
        (type == KclParser::RBRACE || type == KclParser::RBRACK || type == KclParser::RPAREN) &&
        type != open.closer;
    bool new_decl = is_decl_keyword(type) || is_unsupported_decl_keyword(type) ||
                    (type == KclParser::IDENT && open.closer != KclParser::RBRACE &&
                     parser->getTokenStream()->LA(2) == KclParser::ASSIGN);
    if (type != Token::EOF && !other_closer && !new_decl) return false;
    source::LineCol at = source_.line_col(text_.span(open.opener).begin);
    std::string closer = literal(open.closer);
    diag::Diagnostic* d = report(offending,
                                 fmt::format("expected {} to close the {} opened at {}:{}", closer,
                                             open.what, at.line, at.column),
                                 found(offending));
    if (d != nullptr) {
      d->with_secondary(text_.span(open.opener),
                        fmt::format("`{}` opened here", text_.text(open.opener)));
    }
    return true;
  }

  diag::Diagnostic* report(const Token* at, std::string message, std::string label) {
    if (suppressed_) return nullptr;
    suppressed_ = true;
    size_t index = at->getTokenIndex();
    for (size_t p : pre_reported_) {
      if (p >= decl_start_ && p <= index) return nullptr;
    }
    Span span = is_missing(at) ? text_.eof() : text_.span(at);
    diag::Diagnostic& d = diags_.error(Code::E0101, span, std::move(message));
    if (!label.empty()) d.with_label(std::move(label));
    return &d;
  }

  // True when the next token is the first on its line and either outside all brackets or at the
  // line's first column: where a declaration starts in a file laid out as usual. Only such a token
  // ends the silence after an error, so text that recovery misplaced cannot cascade.
  bool starts_decl_line(antlr4::TokenStream* in) const {
    Token* t = in->LT(1);
    Token* before = in->LT(-1);
    if (before != nullptr && before->getLine() >= t->getLine()) return false;
    size_t index = t->getTokenIndex();
    return t->getCharPositionInLine() == 0 || index >= depths_.size() || depths_[index] == 0;
  }

  // Consumes at least one token, then up to the next line that can start a declaration.
  void skip_to_next_decl(antlr4::Parser* parser) {
    antlr4::TokenStream* in = parser->getTokenStream();
    beginErrorCondition(parser);
    do {
      parser->consume();
    } while (in->LA(1) != Token::EOF && !(starts_decl_line(in) && could_start_decl(in)));
  }

  static bool could_start_decl(antlr4::TokenStream* in) {
    size_t la = in->LA(1);
    return is_decl_keyword(la) || is_unsupported_decl_keyword(la) || la == KclParser::IDENT;
  }

  static bool next_is_assign(antlr4::Parser* parser, const Token* t) {
    auto* in = dynamic_cast<antlr4::BufferedTokenStream*>(parser->getTokenStream());
    if (in == nullptr || is_missing(t)) return false;
    for (size_t i = t->getTokenIndex() + 1; i < in->size(); ++i) {
      Token* next = in->get(i);
      if (next->getChannel() == Token::DEFAULT_CHANNEL) return next->getType() == KclParser::ASSIGN;
    }
    return false;
  }

  // The token on the default channel just before `t`.
  static const Token* previous_token(antlr4::Parser* parser, const Token* t) {
    auto* in = dynamic_cast<antlr4::BufferedTokenStream*>(parser->getTokenStream());
    if (in == nullptr || is_missing(t)) return nullptr;
    for (size_t i = t->getTokenIndex(); i-- > 0;) {
      Token* prev = in->get(i);
      if (prev->getChannel() == Token::DEFAULT_CHANNEL) return prev;
    }
    return nullptr;
  }

  // `=` for a token type with a fixed spelling, else its rule name.
  std::string literal(size_t type) const {
    std::string name = vocabulary_.getLiteralName(type);
    if (name.size() >= 2 && name.front() == '\'')
      return "`" + name.substr(1, name.size() - 2) + "`";
    return vocabulary_.getSymbolicName(type);
  }

  // The expected token set in words: "an expression", "`,` or `]`".
  std::string describe(const IntervalSet& set) const { return join(expected_parts(set)); }

  static std::string join(const std::vector<std::string>& parts) {
    if (parts.empty()) return "something else";
    std::string out = parts[0];
    for (size_t i = 1; i < parts.size(); ++i)
      out += (i + 1 == parts.size() ? " or " : ", ") + parts[i];
    return out;
  }

  // The expected token set in parts: {"`,`", "`]`"}, {"an expression"}.
  std::vector<std::string> expected_parts(const IntervalSet& set) const {
    std::vector<ssize_t> tokens = set.toList();
    auto has = [&](size_t type) {
      return std::ranges::find(tokens, static_cast<ssize_t>(type)) != tokens.end();
    };
    auto drop = [&](std::initializer_list<size_t> types) {
      for (size_t type : types)
        std::erase(tokens, static_cast<ssize_t>(type));
    };
    std::vector<std::string> categories;
    if (has(KclParser::INT) && has(KclParser::LBRACK) && has(KclParser::IDENT)) {
      categories.push_back("an expression");
      drop({KclParser::INT,
            KclParser::FLOAT,
            KclParser::STRING,
            KclParser::TRIPLE_STRING,
            KclParser::UNTERMINATED_STRING,
            KclParser::UNTERMINATED_TRIPLE_STRING,
            KclParser::TRUE_KW,
            KclParser::FALSE_KW,
            KclParser::NULL_KW,
            KclParser::DURATION,
            KclParser::SIZE,
            KclParser::PERCENT,
            KclParser::VERSION,
            KclParser::IPV4,
            KclParser::CIDR,
            KclParser::BAD_NUMBER,
            KclParser::BAD_VERSION,
            KclParser::LBRACK,
            KclParser::LBRACE,
            KclParser::IDENT,
            KclParser::RESOURCE,
            KclParser::LPAREN});
    }
    if (has(KclParser::SELF) && has(KclParser::THEN)) {
      categories.push_back("a field name");
      std::erase_if(tokens, [](ssize_t type) { return type >= 0 && is_field_name(type); });
    }
    if (has(KclParser::IMPORT) && has(KclParser::LET) && has(KclParser::PARAM)) {
      categories.push_back("a declaration");
      drop({KclParser::IMPORT, KclParser::LET, KclParser::PARAM, KclParser::OUTPUT,
            KclParser::IDENT});
    }
    if (has(KclParser::IDENT) && has(KclParser::LBRACK) && has(KclParser::LBRACE) &&
        !has(KclParser::INT)) {
      categories.push_back("a type");
      drop({KclParser::IDENT, KclParser::LBRACK, KclParser::LBRACE});
    }
    if (has(KclParser::STRING)) {
      categories.push_back("a string");
      drop({KclParser::STRING, KclParser::TRIPLE_STRING, KclParser::UNTERMINATED_STRING,
            KclParser::UNTERMINATED_TRIPLE_STRING});
    }
    if (has(KclParser::IDENT)) {
      categories.push_back("a name");
      drop({KclParser::IDENT});
    }
    // `.` and `?` continue what came before; they only matter when nothing else would do.
    if (!categories.empty() || tokens.size() > 1) drop({KclParser::DOT, KclParser::QUESTION});
    std::vector<std::string> parts;
    for (ssize_t type : tokens) {
      parts.push_back(type == -1 ? "the end of the file" : literal(static_cast<size_t>(type)));
    }
    parts.insert(parts.end(), categories.begin(), categories.end());
    return parts;
  }

  // "`foo`" or "the end of the file", for messages.
  std::string phrase(const Token* t) const {
    if (t->getType() == Token::EOF) return "the end of the file";
    std::string_view text = text_.text(t);
    size_t cut = std::min(text.find_first_of("\r\n"), text.size());
    bool shortened = cut < text.size();
    if (cut > 40) {
      cut = 40;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
      shortened = true;
    }
    std::string shown;
    utf8::append_valid(shown, text.substr(0, cut));  // diagnostics must stay valid UTF-8
    return fmt::format("`{}{}`", shown, shortened ? "..." : "");
  }

  std::string unexpected(const Token* t) const {
    if (t->getType() == KclParser::ERROR_CHAR) return "unexpected character " + phrase(t);
    if (t->getType() == Token::EOF) return "unexpected end of file";
    return "unexpected " + phrase(t);
  }

  std::string found(const Token* t) const {
    return t->getType() == Token::EOF ? "the file ends here" : "found " + phrase(t);
  }

  const TextMap& text_;
  const source::SourceFile& source_;
  const antlr4::dfa::Vocabulary& vocabulary_;
  diag::Diagnostics& diags_;
  std::vector<size_t> pre_reported_;  // token indexes that already have a diagnostic
  std::vector<int> depths_;           // bracket depth before each token
  size_t decl_start_ = 0;
  bool suppressed_ = false;
};

// Tells SyntaxErrors where declarations start.
class DeclWatcher final : public antlr4::tree::ParseTreeListener {
 public:
  DeclWatcher(SyntaxErrors& errors, antlr4::Parser& parser) : errors_(errors), parser_(parser) {}
  void enterEveryRule(ParserRuleContext* ctx) override {
    if (ctx->getRuleIndex() == KclParser::RuleDecl) errors_.enter_decl(&parser_);
  }
  void exitEveryRule(ParserRuleContext*) override {}
  void visitTerminal(antlr4::tree::TerminalNode*) override {}
  void visitErrorNode(antlr4::tree::ErrorNode*) override {}

 private:
  SyntaxErrors& errors_;
  antlr4::Parser& parser_;
};

// ---- Lexical checks before parsing ----

struct Prescanned {
  std::vector<std::unique_ptr<Token>> tokens;  // what the parser gets to see
  std::vector<size_t> reported;                // indexes into `tokens` that have a diagnostic
  std::vector<int> depths;                     // bracket depth before each of `tokens`
};

// Reports unterminated strings (E0102) and nesting deeper than kMaxDepth. Brackets nested too
// deep are dropped with everything inside them, so the parser never recurses that far.
Prescanned prescan(std::vector<std::unique_ptr<Token>> lexed, const TextMap& text,
                   diag::Diagnostics& diags) {
  Prescanned out;
  out.tokens.reserve(lexed.size());
  int depth = 0;
  int drop_above = -1;  // while >= 0, tokens nested deeper than this are dropped
  for (std::unique_ptr<Token>& t : lexed) {
    size_t type = t->getType();
    int depth_before = depth;
    if (type == KclLexer::UNTERMINATED_STRING || type == KclLexer::UNTERMINATED_TRIPLE_STRING) {
      bool triple = type == KclLexer::UNTERMINATED_TRIPLE_STRING;
      Span at = text.span(t.get());
      at.end = at.begin + (triple ? 3 : 1);
      diags.error(Code::E0102, at, "unterminated string")
          .with_label(triple ? "this string has no closing `\"\"\"` before the end of the file"
                             : "this string has no closing `\"` before the end of the line");
      out.reported.push_back(out.tokens.size());
    }
    bool opener = type == KclLexer::LBRACE || type == KclLexer::LBRACK || type == KclLexer::LPAREN;
    bool closer = type == KclLexer::RBRACE || type == KclLexer::RBRACK || type == KclLexer::RPAREN;
    if (opener && ++depth > kMaxDepth && drop_above < 0) {
      drop_above = depth - 1;
      diags
          .error(Code::E0101, text.span(t.get()),
                 fmt::format("nesting deeper than {} levels", kMaxDepth))
          .with_label("too deep")
          .with_note("split the value into named `let` bindings");
      out.reported.push_back(out.tokens.size());
    }
    bool drop = drop_above >= 0 && type != Token::EOF;
    if (closer && depth > 0 && --depth == drop_above) drop_above = -1;
    if (!drop) {
      out.depths.push_back(depth_before);
      out.tokens.push_back(std::move(t));
    }
  }
  return out;
}

// ---- Parse tree to AST ----

class Converter {
 public:
  Converter(const TextMap& text, const std::vector<Token*>& tokens, ast::File& file,
            diag::Diagnostics& diags)
      : text_(text), tokens_(tokens), file_(file), diags_(diags) {}

  void convert(KclParser::FileContext* ctx) {
    for (KclParser::DeclContext* d : ctx->decl()) {
      if (d != nullptr) decl(d);
    }
  }

 private:
  // Nesting of containers (lists, bodies, member accesses, composite types) in the tree being
  // built.
  class Nest {
   public:
    Nest(Converter& c, Span at) : c_(c) {
      if (++c_.depth_ > kMaxDepth && !c_.too_deep_reported_) {
        c_.too_deep_reported_ = true;
        c_.diags_.error(Code::E0101, at, fmt::format("nesting deeper than {} levels", kMaxDepth))
            .with_note("split the value into named `let` bindings");
      }
    }
    ~Nest() { --c_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    bool too_deep() const { return c_.depth_ > kMaxDepth; }

   private:
    Converter& c_;
  };

  std::optional<ast::Name> name(const Token* t) const {
    if (is_missing(t)) return std::nullopt;
    return ast::Name{std::string(text_.text(t)), text_.span(t)};
  }

  std::optional<ast::Name> name(KclParser::FieldNameContext* ctx) const {
    if (ctx == nullptr || ctx->children.empty()) return std::nullopt;
    return name(first(ctx));
  }

  // The first token that is really part of `ctx`.
  static const Token* first(ParserRuleContext* ctx) {
    const Token* t = TextMap::first_token(ctx);
    return t != nullptr ? t : ctx->getStart();
  }

  ast::ExprId error_expr(Span at) { return file_.add(ast::Expr{at, ast::Error{}}); }

  // ---- Declarations ----

  void decl(KclParser::DeclContext* ctx) {
    ast::Decl out;
    out.span = text_.span(ctx);
    Span end{text_.file(), out.span.end, out.span.end};
    if (auto* im = dynamic_cast<KclParser::ImportDeclContext*>(ctx)) {
      if (im->path == nullptr || im->path->children.empty()) return;
      ast::Import import;
      import.path = string_value(im->path);
      import.path_span = text_.span(im->path);
      if (im->alias != nullptr) {
        import.alias = name(im->alias);
        if (!import.alias) return;
        import.binding = *import.alias;
      } else {
        std::string_view binding = import.path;
        binding.remove_prefix(std::min(binding.size(), binding.rfind('/') + 1));
        if (binding.ends_with(".kcl")) binding.remove_suffix(4);
        import.binding = {std::string(binding), import.path_span};
      }
      out.node = std::move(import);
    } else if (auto* ld = dynamic_cast<KclParser::LetDeclContext*>(ctx)) {
      auto n = name(ld->name);
      if (!n) return;
      ast::Let let{*n, std::nullopt, {}};
      if (ld->typeExpr() != nullptr) let.type = type(ld->typeExpr());
      let.value = expr(ld->expr(), end);
      out.node = std::move(let);
    } else if (auto* pd = dynamic_cast<KclParser::ParamDeclContext*>(ctx)) {
      auto n = name(pd->name);
      if (!n) return;
      ast::Param param{*n, {}, std::nullopt};
      param.type = pd->typeExpr() != nullptr ? type(pd->typeExpr()) : error_type(end);
      if (pd->expr() != nullptr) param.default_value = expr(pd->expr(), end);
      out.node = std::move(param);
    } else if (auto* od = dynamic_cast<KclParser::OutputDeclContext*>(ctx)) {
      auto n = name(od->name);
      if (!n) return;
      out.node = ast::Output{*n, expr(od->expr(), end)};
    } else if (auto* ed = dynamic_cast<KclParser::ExportDeclContext*>(ctx)) {
      auto n = name(ed->name);
      if (!n) return;
      out.node = ast::Export{*n, expr(ed->expr(), end)};
    } else {
      return;
    }
    out.doc = doc_comment(first(ctx));
    file_.decls.push_back(std::move(out));
  }

  // The `##` lines right above a declaration's first token, each alone on its line.
  std::string doc_comment(const Token* first) const {
    std::vector<std::string_view> lines;
    size_t line = first->getLine();
    for (size_t i = first->getTokenIndex(); i-- > 0;) {
      const Token* t = tokens_[i];
      if (t->getType() != KclLexer::COMMENT) break;
      std::string_view text = text_.text(t);
      bool alone = i == 0 || tokens_[i - 1]->getLine() < t->getLine();
      if (!text.starts_with("##") || !alone || t->getLine() + 1 != line) break;
      text.remove_prefix(2);
      if (text.starts_with(' ')) text.remove_prefix(1);
      lines.push_back(text);
      line = t->getLine();
    }
    std::string doc;
    for (size_t i = lines.size(); i-- > 0;) {
      doc += lines[i];
      if (i > 0) doc += '\n';
    }
    return doc;
  }

  // ---- Types ----

  ast::TypeExprId error_type(Span at) {
    return file_.add(ast::TypeExpr{ast::TypeExpr::Kind::Error, at, {}, {}});
  }

  ast::TypeExprId type(KclParser::TypeExprContext* ctx) {
    Span whole = text_.span(ctx);
    ast::TypeExprId inner = type_atom(ctx->typeAtom(), whole);
    for (antlr4::tree::TerminalNode* q : ctx->QUESTION()) {
      Nest nest(*this, whole);
      Span span = text_.span(first(ctx), q->getSymbol());
      if (nest.too_deep()) return error_type(span);
      inner = file_.add(ast::TypeExpr{ast::TypeExpr::Kind::Optional, span, {}, inner});
    }
    return inner;
  }

  ast::TypeExprId type_atom(KclParser::TypeAtomContext* ctx, Span fallback) {
    if (ctx == nullptr) return error_type(fallback);
    Span span = text_.span(ctx);
    if (auto* t = dynamic_cast<KclParser::NamedTypeContext*>(ctx)) {
      auto n = name(t->IDENT() ? t->IDENT()->getSymbol() : nullptr);
      if (!n) return error_type(span);
      return file_.add(ast::TypeExpr{ast::TypeExpr::Kind::Named, span, *n, {}});
    }
    if (auto* t = dynamic_cast<KclParser::ListTypeContext*>(ctx)) {
      Nest nest(*this, span);
      if (nest.too_deep() || t->typeExpr() == nullptr) return error_type(span);
      ast::TypeExprId element = type(t->typeExpr());
      return file_.add(ast::TypeExpr{ast::TypeExpr::Kind::List, span, {}, element});
    }
    if (auto* t = dynamic_cast<KclParser::MapTypeContext*>(ctx)) {
      Nest nest(*this, span);
      if (nest.too_deep() || t->typeExpr() == nullptr) return error_type(span);
      if (auto key = name(t->key); key && key->text != "string") {
        diags_.error(Code::E0101, key->span, "map keys are strings: write `{string: T}`")
            .with_label(fmt::format("`{}` cannot be a key type", key->text));
      }
      ast::TypeExprId value = type(t->typeExpr());
      return file_.add(ast::TypeExpr{ast::TypeExpr::Kind::Map, span, {}, value});
    }
    return error_type(span);
  }

  // ---- Expressions ----

  ast::ExprId expr(KclParser::ExprContext* ctx, Span fallback) {
    if (ctx == nullptr || ctx->postfix() == nullptr) return error_expr(fallback);
    KclParser::PostfixContext* postfix = ctx->postfix();
    Span start = text_.span(first(postfix));
    ast::ExprId object = primary(postfix->primary(), start);
    std::vector<KclParser::FieldNameContext*> members = postfix->fieldName();
    int levels = 0;
    for (KclParser::FieldNameContext* f : members) {
      auto member = name(f);
      if (!member) break;
      ++levels;
      ++depth_;
      Span span = text_.span(first(postfix), f->getStop());
      if (depth_ > kMaxDepth) {
        if (!too_deep_reported_) {
          too_deep_reported_ = true;
          diags_.error(Code::E0101, span, fmt::format("nesting deeper than {} levels", kMaxDepth))
              .with_note("split the value into named `let` bindings");
        }
        object = error_expr(span);
        break;
      }
      object = file_.add(ast::Expr{span, ast::Member{object, *member}});
    }
    depth_ -= levels;
    return object;
  }

  ast::ExprId primary(KclParser::PrimaryContext* ctx, Span fallback) {
    if (ctx == nullptr || ctx->children.empty()) return error_expr(fallback);
    Span span = text_.span(ctx);
    if (auto* i = dynamic_cast<KclParser::IntLitContext*>(ctx)) {
      if (i->INT() == nullptr || is_missing(i->INT()->getSymbol())) return error_expr(span);
      std::string error;
      if (auto value = parse_int(text_.text(i->INT()->getSymbol()), &error)) {
        return file_.add(ast::Expr{span, ast::IntLit{*value}});
      }
      diags_.error(Code::E0103, span, error).with_label("integer out of range");
      return error_expr(span);
    }
    if (auto* f = dynamic_cast<KclParser::FloatLitContext*>(ctx)) {
      if (f->FLOAT() == nullptr || is_missing(f->FLOAT()->getSymbol())) return error_expr(span);
      std::string error;
      if (auto value = parse_float(text_.text(f->FLOAT()->getSymbol()), &error)) {
        return file_.add(ast::Expr{span, ast::FloatLit{*value}});
      }
      diags_.error(Code::E0103, span, error).with_label("float out of range");
      return error_expr(span);
    }
    if (auto* s = dynamic_cast<KclParser::StringLitContext*>(ctx)) {
      if (s->string() == nullptr) return error_expr(span);
      return file_.add(ast::Expr{span, ast::StringLit{string_value(s->string())}});
    }
    if (auto* b = dynamic_cast<KclParser::BoolLitContext*>(ctx)) {
      bool value = b->value != nullptr && b->value->getType() == KclParser::TRUE_KW;
      return file_.add(ast::Expr{span, ast::BoolLit{value}});
    }
    if (dynamic_cast<KclParser::NullLitContext*>(ctx) != nullptr) {
      return file_.add(ast::Expr{span, ast::NullLit{}});
    }
    if (auto* d = dynamic_cast<KclParser::DomainLitContext*>(ctx)) {
      return domain(d->domain, span);
    }
    if (auto* l = dynamic_cast<KclParser::ListLitContext*>(ctx)) {
      Nest nest(*this, span);
      if (nest.too_deep()) return error_expr(span);
      ast::ListLit list;
      for (KclParser::ExprContext* item : l->expr())
        list.items.push_back(expr(item, span));
      return file_.add(ast::Expr{span, std::move(list)});
    }
    if (auto* r = dynamic_cast<KclParser::RecordLitContext*>(ctx)) {
      ast::RecordLit record;
      if (r->schema != nullptr) record.schema = name(r->schema);
      record.body = body(r->body(), span);
      return file_.add(ast::Expr{span, std::move(record)});
    }
    if (auto* n = dynamic_cast<KclParser::NameRefContext*>(ctx)) {
      auto ref = name(n->IDENT() ? n->IDENT()->getSymbol() : nullptr);
      if (!ref) return error_expr(span);
      return file_.add(ast::Expr{span, ast::NameRef{*ref}});
    }
    if (auto* r = dynamic_cast<KclParser::ResourceExprContext*>(ctx)) {
      auto provider = name(r->provider);
      auto kind = name(r->kind);
      auto label = resource_label(r->resourceLabel());
      if (!provider || !kind || !label) return error_expr(span);
      ast::ResourceExpr resource{*provider, *kind, *label, body(r->body(), span)};
      return file_.add(ast::Expr{span, std::move(resource)});
    }
    if (auto* p = dynamic_cast<KclParser::ParenExprContext*>(ctx)) {
      return expr(p->expr(), span);
    }
    return error_expr(span);
  }

  ast::ExprId domain(const Token* t, Span span) {
    if (is_missing(t)) return error_expr(span);
    DomainShape shape = DomainShape::BadNumber;
    switch (t->getType()) {
      case KclParser::DURATION:
        shape = DomainShape::Duration;
        break;
      case KclParser::SIZE:
        shape = DomainShape::Bytes;
        break;
      case KclParser::PERCENT:
        shape = DomainShape::Percent;
        break;
      case KclParser::VERSION:
        shape = DomainShape::Version;
        break;
      case KclParser::IPV4:
        shape = DomainShape::Ip;
        break;
      case KclParser::CIDR:
        shape = DomainShape::Cidr;
        break;
      case KclParser::BAD_VERSION:
        shape = DomainShape::BadVersion;
        break;
      default:
        shape = DomainShape::BadNumber;
        break;
    }
    std::string_view text = text_.text(t);
    DomainCheck check = check_domain(text, shape);
    if (check.kind) {
      return file_.add(ast::Expr{span, ast::DomainLit{*check.kind, std::string(text)}});
    }
    diag::Diagnostic& d = diags_.error(Code::E0103, span, check.error);
    if (!check.replacement.empty()) {
      d.with_fix(fmt::format("write `{}`", check.replacement), span, check.replacement);
    }
    return error_expr(span);
  }

  std::optional<ast::Name> resource_label(KclParser::ResourceLabelContext* ctx) {
    if (ctx == nullptr || ctx->children.empty()) return std::nullopt;
    if (ctx->IDENT() != nullptr) return name(ctx->IDENT()->getSymbol());
    if (ctx->string() == nullptr) return std::nullopt;
    return ast::Name{string_value(ctx->string()), text_.span(ctx->string())};
  }

  // The decoded value of a string token; escape problems are reported (E0103).
  std::string string_value(KclParser::StringContext* ctx) {
    const Token* t = TextMap::first_token(ctx);
    if (t == nullptr) return {};
    size_t type = t->getType();
    bool terminated = type == KclParser::STRING || type == KclParser::TRIPLE_STRING;
    DecodedString decoded = decode_string(text_.text(t), terminated);
    if (terminated) {
      uint32_t base = text_.span(t).begin;
      for (const LiteralProblem& p : decoded.problems) {
        diags_.error(Code::E0103, Span{text_.file(), base + p.begin, base + p.end}, p.message);
      }
    }
    return std::move(decoded.value);
  }

  ast::BodyId body(KclParser::BodyContext* ctx, Span fallback) {
    ast::Body out;
    out.span = ctx == nullptr ? fallback : text_.span(ctx);
    Nest nest(*this, out.span);
    if (ctx == nullptr || nest.too_deep()) return file_.add(std::move(out));
    for (KclParser::ItemContext* item : ctx->item()) {
      if (auto* a = dynamic_cast<KclParser::AssignItemContext*>(item)) {
        auto field = name(a->fieldName());
        if (!field) continue;
        Span span = text_.span(item);
        Span end{text_.file(), span.end, span.end};
        out.items.push_back(ast::FieldAssign{*field, expr(a->expr(), end), false, span});
      } else if (auto* b = dynamic_cast<KclParser::BlockItemContext*>(item)) {
        auto field = name(b->fieldName());
        if (!field) continue;
        Span span = text_.span(item);
        Span block_span = b->body() != nullptr ? text_.span(b->body()) : span;
        ast::RecordLit record{std::nullopt, body(b->body(), block_span)};
        ast::ExprId value = file_.add(ast::Expr{block_span, std::move(record)});
        out.items.push_back(ast::FieldAssign{*field, value, true, span});
      }
    }
    return file_.add(std::move(out));
  }

  const TextMap& text_;
  const std::vector<Token*>& tokens_;
  ast::File& file_;
  diag::Diagnostics& diags_;
  int depth_ = 0;
  bool too_deep_reported_ = false;
};

void collect_comments(const std::vector<Token*>& tokens, const TextMap& text, ast::File& file) {
  for (const Token* t : tokens) {
    if (t->getType() != KclLexer::COMMENT) continue;
    file.comments.push_back(ast::Comment{text.span(t), text.text(t).starts_with("##")});
  }
}

}  // namespace

ParseResult parse(const source::SourceManager& sources, source::FileId file) {
  ParseResult result;
  result.file.file = file;
  const source::SourceFile& source = sources.file(file);
  TextMap text(source.text(), file);
  try {
    CodePointStream input(text.take_code_points());
    KclLexer lexer(&input);
    lexer.removeErrorListeners();
    std::vector<std::unique_ptr<Token>> lexed;
    do {
      lexed.push_back(lexer.nextToken());
    } while (lexed.back()->getType() != Token::EOF);
    Prescanned scanned = prescan(std::move(lexed), text, result.diagnostics);
    std::vector<size_t> reported = std::move(scanned.reported);
    std::vector<int> depths = std::move(scanned.depths);
    antlr4::ListTokenSource source_tokens(std::move(scanned.tokens));
    antlr4::CommonTokenStream stream(&source_tokens);
    stream.fill();
    const std::vector<Token*>& tokens = stream.getTokens();

    KclParser parser(&stream);
    parser.removeErrorListeners();
    auto errors = std::make_shared<SyntaxErrors>(text, source, parser.getVocabulary(),
                                                 result.diagnostics, reported, std::move(depths));
    parser.setErrorHandler(errors);
    DeclWatcher watcher(*errors, parser);
    parser.addParseListener(&watcher);
    KclParser::FileContext* tree = parser.file();
    parser.removeParseListeners();

    Converter(text, tokens, result.file, result.diagnostics).convert(tree);
    collect_comments(tokens, text, result.file);
  } catch (const std::exception& e) {
    // The ANTLR runtime reports its own failures by throwing; none should escape, but a parse
    // must end in diagnostics, never in an exception.
    result.diagnostics.error(Code::E0101, text.eof(),
                             fmt::format("internal parser error: {}", e.what()));
  }
  result.diagnostics.sort();
  return result;
}

}  // namespace kc::syntax
