// The parser (parse.h): feeds the hand-written lexer's tokens to the generated ANTLR parser, one
// declaration at a time, reports syntax errors in plain words without cascades, and hands each
// parse tree to the AST builder (tree_to_ast.h).
#include "compiler/syntax/parse.h"

#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <algorithm>
#include <bitset>
#include <exception>
#include <memory>
#include <unordered_map>

#include "KclParser.h"
#include "compiler/syntax/expected.h"
#include "compiler/syntax/lexer.h"
#include "compiler/syntax/prescan.h"
#include "compiler/syntax/tree_to_ast.h"
#include "compiler/syntax/utf8.h"

namespace kc::syntax {

namespace {

using antlr4::ParserRuleContext;
using diag::Code;
using grammar::KcContext;
using grammar::KclParser;
using source::Span;
using LexToken = syntax::Token;
using P = KclParser;

// How deep rule invocations may nest. A tree within kMaxNesting needs at most about four per level
// (a body, its item, the item's value), so this stops only input built to make the parser recurse
// without brackets (`- - - ... x`, `a ?? b ?? ...`, `if a then b else if ...`): the declaration is
// reported and skipped before the stack can run out.
constexpr int kMaxRuleDepth = 4 * kMaxNesting + 100;

// ---- Token kinds ----

// KclParser declares a token type of the same name for every TokenKind but END, which is EOF. A
// kind missing from the grammar's `tokens` block does not compile here.
struct AntlrTypes : KclParser {
  static constexpr size_t END = antlr4::Token::EOF;
};
constexpr size_t kAntlrType[] = {
#define KC_TOKEN(name, spelling) AntlrTypes::name,
#include "compiler/syntax/token_kinds.def"
#undef KC_TOKEN
};
constexpr size_t kKindCount = std::size(kAntlrType);
constexpr bool types_follow_kinds() {
  for (size_t k = 0; k + 1 < kKindCount; ++k) {
    if (kAntlrType[k] != k + 1) return false;
  }
  return kAntlrType[kKindCount - 1] == antlr4::Token::EOF;
}
static_assert(types_follow_kinds(),
              "grammar/KclParser.g4 must list the kinds of token_kinds.def in the same order");

TokenKind kind_of(size_t type) {
  if (type == antlr4::Token::EOF || type == 0 || type >= kKindCount) return TokenKind::END;
  return static_cast<TokenKind>(type - 1);
}

bool is_decl_keyword(size_t type) {
  switch (type) {
    case P::IMPORT:
    case P::LET:
    case P::PARAM:
    case P::OUTPUT:
    case P::TYPE:
    case P::ENUM:
    case P::SCHEMA:
    case P::FN:
    case P::PROVIDER:
    case P::BACKEND:
      return true;
    default:
      return false;
  }
}

// Identifiers and keywords: whatever may name a field.
bool is_field_name(size_t type) {
  return type == P::IDENT || type == P::WITH || (type >= P::IMPORT && type <= P::SELF);
}
static_assert(P::SELF - P::IMPORT + 1 == 23, "the keywords of token_kinds.def are contiguous");

// ---- ANTLR's view of the lexer's tokens ----

class Stream;

// A lexer token as ANTLR sees it. Tokens conjured by error recovery are ANTLR CommonTokens
// instead; Stream::mine() tells them apart.
class KcToken final : public antlr4::Token {
 public:
  KcToken(const LexToken* lex, size_t type, size_t index, const Stream* stream)
      : lex_(lex), stream_(stream), type_(type), index_(index) {}

  std::string getText() const override;
  size_t getType() const override { return type_; }
  size_t getLine() const override { return lex_->line; }
  size_t getCharPositionInLine() const override { return lex_->begin - lex_->line_begin; }
  size_t getChannel() const override { return DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return lex_->begin; }
  size_t getStopIndex() const override {
    return lex_->end > lex_->begin ? lex_->end - 1 : lex_->begin;
  }
  antlr4::TokenSource* getTokenSource() const override;
  antlr4::CharStream* getInputStream() const override { return nullptr; }
  std::string toString() const override { return getText(); }

  const LexToken& lex() const { return *lex_; }
  size_t type() const { return type_; }
  size_t index() const { return index_; }

 private:
  const LexToken* lex_;
  const Stream* stream_;
  size_t type_;
  size_t index_;
};

// Error recovery asks a token for its source to make up missing tokens; nothing else is used.
class NoTokenSource final : public antlr4::TokenSource {
 public:
  explicit NoTokenSource(std::string name) : name_(std::move(name)) {}
  std::unique_ptr<antlr4::Token> nextToken() override {
    return std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF);
  }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() override { return 0; }
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return name_; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  std::string name_;
};

// The kept tokens (prescan.h) in one array, END last; ANTLR reads them through this stream.
class Stream final : public antlr4::TokenStream {
 public:
  Stream(std::string_view text, const LexResult& lexed, const Prescanned& scanned, std::string name)
      : text_(text), source_(std::move(name)) {
    tokens_.reserve(scanned.kept.size());
    for (uint32_t i : scanned.kept) {
      const LexToken& t = lexed.tokens[i];
      tokens_.emplace_back(&t, kAntlrType[static_cast<size_t>(t.kind)], tokens_.size(), this);
    }
  }

  antlr4::Token* LT(ssize_t k) override {
    if (k == 0) return nullptr;
    if (k < 0) {
      auto back = static_cast<size_t>(-k);
      return back > p_ ? nullptr : &tokens_[p_ - back];
    }
    return &tokens_[std::min(p_ + static_cast<size_t>(k) - 1, tokens_.size() - 1)];
  }
  size_t LA(ssize_t i) override {
    if (i < 0 && static_cast<size_t>(-i) > p_) return antlr4::Token::INVALID_TYPE;
    if (i == 0) return antlr4::Token::INVALID_TYPE;
    return static_cast<KcToken*>(LT(i))->type();
  }
  antlr4::Token* get(size_t index) const override {
    return const_cast<KcToken*>(&tokens_[std::min(index, tokens_.size() - 1)]);
  }
  antlr4::TokenSource* getTokenSource() const override {
    return const_cast<NoTokenSource*>(&source_);
  }
  void consume() override {
    if (p_ + 1 < tokens_.size()) ++p_;
    ++consumed_;
  }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  size_t position() const { return p_; }
  void seek(size_t index) override { p_ = std::min(index, tokens_.size() - 1); }
  size_t size() override { return tokens_.size(); }
  std::string getSourceName() const override { return "kcl"; }
  std::string getText(const antlr4::misc::Interval& interval) override {
    if (interval.a < 0 || interval.b < interval.a) return "";
    const KcToken& a = at(static_cast<size_t>(interval.a));
    const KcToken& b = at(static_cast<size_t>(interval.b));
    return std::string(text_.substr(a.lex().begin, b.lex().end - a.lex().begin));
  }
  std::string getText() override { return std::string(text_); }
  std::string getText(antlr4::RuleContext* ctx) override {
    return getText(ctx->getSourceInterval());
  }
  std::string getText(antlr4::Token* start, antlr4::Token* stop) override {
    const KcToken* a = mine(start);
    const KcToken* b = mine(stop);
    if (a == nullptr || b == nullptr) return "";
    return getText(antlr4::misc::Interval(a->index(), b->index()));
  }

  // The token, or nullptr for one conjured by error recovery (which stands for a missing token).
  const KcToken* mine(const antlr4::Token* t) const {
    auto p = reinterpret_cast<uintptr_t>(t);
    auto first = reinterpret_cast<uintptr_t>(tokens_.data());
    auto last = reinterpret_cast<uintptr_t>(tokens_.data() + tokens_.size());
    return p >= first && p < last ? static_cast<const KcToken*>(t) : nullptr;
  }
  const KcToken& at(size_t index) const { return tokens_[std::min(index, tokens_.size() - 1)]; }
  size_t count() const { return tokens_.size(); }
  // How many times consume() was called: prediction consumes its lookahead and seeks back.
  size_t consumed() const { return consumed_; }
  std::string_view text(const KcToken& t) const {
    return text_.substr(t.lex().begin, t.lex().end - t.lex().begin);
  }

 private:
  std::string_view text_;
  NoTokenSource source_;
  std::vector<KcToken> tokens_;
  size_t p_ = 0;
  size_t consumed_ = 0;
};

std::string KcToken::getText() const {
  return std::string(stream_->text(*this));
}

antlr4::TokenSource* KcToken::getTokenSource() const {
  return stream_->getTokenSource();
}

// ---- Error recovery ----

// For each ATN state, the tokens that may come next within its rule and whether the rule may end
// there: what DefaultErrorStrategy::sync computes, as bits, once per process.
struct NextTokens {
  std::bitset<128> tokens;  // EOF is bit 0
  bool rule_may_end = false;
  bool allows(size_t type) const { return rule_may_end || tokens.test(type < 128 ? type : 0); }
};
const std::vector<NextTokens>& next_tokens_table(const antlr4::atn::ATN& atn) {
  static const std::vector<NextTokens> table = [&] {
    std::vector<NextTokens> out(atn.states.size());
    for (size_t i = 0; i < atn.states.size(); ++i) {
      if (atn.states[i] == nullptr) continue;
      for (ssize_t type : atn.nextTokens(atn.states[i]).toList()) {
        if (type == static_cast<ssize_t>(antlr4::Token::EPSILON)) {
          out[i].rule_may_end = true;
        } else if (type < 0) {
          out[i].tokens.set(0);
        } else if (type < 128) {
          out[i].tokens.set(static_cast<size_t>(type));
        }
      }
    }
    return out;
  }();
  return table;
}

// ---- Syntax errors ----

// Thrown when rule invocations nest deeper than kMaxRuleDepth; parse() abandons the declaration.
struct TooDeep {
  size_t token = 0;
};

// Reports syntax errors (E0101) as sentences and keeps error recovery from cascading: after one
// error, nothing more is reported until a new declaration starts at the beginning of a line. Errors
// in a declaration that already has a lexical diagnostic (an unterminated string, a bad literal,
// nesting too deep) are not reported either.
class SyntaxErrors final : public antlr4::DefaultErrorStrategy {
 public:
  SyntaxErrors(const Stream& stream, const Prescanned& scanned, const source::SourceFile& source,
               source::FileId file, diag::Diagnostics& diags)
      : stream_(stream), scanned_(scanned), source_(source), file_(file), diags_(diags) {
    for (size_t i = 0; i < scanned.reported.size(); ++i) {
      if (scanned.reported[i]) pre_reported_.push_back(i);
    }
  }

  // Called when the parser enters a declaration at token `index`.
  void enter_decl(size_t index) {
    decl_start_ = index;
    if (starts_decl_line(index)) suppressed_ = false;
  }

  // The declaration at `index` nests too deep to parse: reported (once), and silence follows.
  void too_deep(size_t index) {
    diag::Diagnostic* d =
        report(index, fmt::format("nesting deeper than {} levels", kMaxNesting), "too deep");
    if (d != nullptr) d->with_note("split the value into named `let` bindings");
    suppressed_ = true;
  }

  // A lexical or nesting diagnostic is on one of the tokens `first` to `last`.
  bool reported_between(size_t first, size_t last) const {
    auto it = std::ranges::lower_bound(pre_reported_, first);
    return it != pre_reported_.end() && *it <= last;
  }

  // The next token at or after `from` where a declaration can start a line; the END token if none.
  size_t next_decl(size_t from) const {
    size_t i = from;
    while (i + 1 < stream_.count() && !(starts_decl_line(i) && could_start_decl(i)))
      ++i;
    return i;
  }

  // Called before each decision. Before an expression, refuses `name =` at the start of a line:
  // that starts the next item or declaration, so the expression is missing. After `x.` at the end
  // of a line, reports the missing member name. Inside a bracket, stops at a line that can only
  // start a new declaration: the bracket was not closed.
  void sync(antlr4::Parser* parser) override {
    if (next_tokens_ == nullptr) next_tokens_ = &next_tokens_table(parser->getATN());
    size_t index = stream_.position();
    const KcToken& next = stream_.at(index);
    // The checks below concern a token that starts a line, or a `.`.
    if (!next.lex().first_on_line && next.type() != P::DOT) {
      if ((*next_tokens_)[parser->getState()].allows(next.type())) return;
      DefaultErrorStrategy::sync(parser);
      return;
    }
    ParserRuleContext* ctx = parser->getContext();
    size_t rule = ctx->getRuleIndex();
    antlr4::TokenStream* in = parser->getTokenStream();
    if (rule == P::RuleExpr) {
      bool started = starts_at(ctx, index);
      if (started && next_line_assigns(index)) throw antlr4::InputMismatchException(parser);
      bool next_line_starts_decl =
          is_decl_keyword(in->LA(2)) &&
          stream_.at(index + 1).lex().begin == stream_.at(index + 1).lex().line_begin;
      if (!started && in->LA(1) == P::DOT && stream_.at(index + 1).lex().first_on_line &&
          ((is_field_name(in->LA(2)) && in->LA(3) == P::ASSIGN) || next_line_starts_decl)) {
        // `x.` at the end of a line, then `name = ...` or a declaration at the line's start: the
        // member name is missing.
        std::string following(stream_.text(stream_.at(index + 1)));
        report(index, "expected a field name after `.`",
               next_line_starts_decl
                   ? fmt::format("`{}` on the next line starts a new declaration", following)
                   : fmt::format("`{} =` on the next line starts a new assignment", following));
        beginErrorCondition(parser);
        parser->consume();
        return;
      }
    }
    if (rule != P::RuleDecl && rule != P::RuleSchemaItem && index > decl_start_ &&
        depth(index) > 0 && starts_new_decl(index)) {
      // `let x =` at the start of a line inside a bracket cannot continue anything there: the
      // bracket was not closed. Leave it for the declaration it starts.
      throw antlr4::InputMismatchException(parser);
    }
    // What DefaultErrorStrategy::sync checks first, without its allocations.
    if ((*next_tokens_)[parser->getState()].allows(next.type())) return;
    DefaultErrorStrategy::sync(parser);
  }

  // Between declarations, skips anything that cannot start one, reporting it once, instead of the
  // default recovery (which could give up on the rest of the file): afterwards the next token
  // starts a declaration or is the end of the file. After an error, what recovery left of an
  // unclosed bracket is skipped silently up to the next declaration line.
  void between_declarations(antlr4::Parser* parser) {
    antlr4::TokenStream* in = parser->getTokenStream();
    while (true) {
      size_t i = in->index();
      size_t la = in->LA(1);
      if (la == antlr4::Token::EOF) return;
      // After an error, recovery may have left a bracket early: its remaining lines are skipped.
      if (suppressed_ && !starts_decl_line(i)) {
        skip_to_next_decl(parser);
        continue;
      }
      if (could_start_decl(i)) return;
      report(i, unexpected(i), "expected a declaration");
      skip_to_next_decl(parser);
    }
  }

 protected:
  void reportNoViableAlternative(antlr4::Parser* parser,
                                 const antlr4::NoViableAltException& e) override {
    size_t offending = index_of(e.getOffendingToken(), parser);
    std::vector<TokenKind> expected = kinds(e.getExpectedTokens());
    if (report_unclosed(parser, offending, expected)) return;
    std::string what;
    switch (parser->getContext()->getRuleIndex()) {
      case P::RuleItem: {
        what = item_expectation(e.getStartToken(), offending);
        if (!what.empty()) {
          report(offending, what, found(offending));
          return;
        }
        what = join_alternatives(expected_parts(expected));
        break;
      }
      case P::RuleExpr:
      case P::RuleStringExpr:
      case P::RuleListExpr:
        what = "an expression";
        break;
      case P::RuleTypeExpr:
        what = "a type";
        break;
      case P::RuleRangeBound:
        what = "a literal bound";
        break;
      case P::RuleDecl:
        what = "a declaration";
        break;
      case P::RuleSchemaItem:
        what = "a field, `let` or `check`";
        break;
      default:
        what = join_alternatives(expected_parts(expected));
        break;
    }
    report(offending, fmt::format("expected {}, found {}", what, phrase(offending)), "");
  }

  void reportInputMismatch(antlr4::Parser* parser,
                           const antlr4::InputMismatchException& e) override {
    report_expected(parser, index_of(e.getOffendingToken(), parser), kinds(e.getExpectedTokens()));
  }

  void reportFailedPredicate(antlr4::Parser* parser,
                             const antlr4::FailedPredicateException& e) override {
    size_t offending = index_of(e.getOffendingToken(), parser);
    report(offending, unexpected(offending), "");
  }

  // Deleting a token is a good guess only within a line: across a line break the next token more
  // likely starts something new (`a = }` then `b = 1` must not become `a = b`).
  antlr4::Token* singleTokenDeletion(antlr4::Parser* parser) override {
    antlr4::TokenStream* in = parser->getTokenStream();
    if (stream_.at(in->index() + 1).lex().first_on_line) return nullptr;
    // Nor is deleting the keyword that starts a line's declaration (`let x = 1 +` then `let y`
    // must not become `1 + y`).
    if (stream_.at(in->index()).lex().first_on_line && is_decl_keyword(in->LA(1))) return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(parser);
  }

  // Conjuring a missing token is a good guess only when the current token does not start a new
  // line with something that begins an item or declaration (`param p` then `q = 2`), and never for
  // an opening bracket, whose contents would then be made up too.
  bool singleTokenInsertion(antlr4::Parser* parser) override {
    antlr4::TokenStream* in = parser->getTokenStream();
    size_t index = in->index();
    size_t la = in->LA(1);
    bool starts_something = is_decl_keyword(la) || (is_field_name(la) && in->LA(2) == P::ASSIGN);
    if (index > 0 && stream_.at(index).lex().first_on_line && starts_something) return false;
    antlr4::misc::IntervalSet expected = getExpectedTokens(parser);
    if (expected.contains(size_t{P::LBRACE}) || expected.contains(size_t{P::LBRACK}) ||
        expected.contains(size_t{P::LPAREN})) {
      return false;
    }
    return DefaultErrorStrategy::singleTokenInsertion(parser);
  }

  // The current token is extra: the one after it is what the parser expected.
  void reportUnwantedToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    size_t index = parser->getTokenStream()->index();
    std::vector<TokenKind> expected = kinds(getExpectedTokens(parser));
    if (report_unclosed(parser, index, expected)) return;
    std::vector<std::string> parts = expected_parts(expected);
    report(index, unexpected(index),
           parts.size() <= 3 ? "expected " + join_alternatives(parts) : "");
  }

  // One token is missing before the current one; recovery pretends it was there.
  void reportMissingToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    report_expected(parser, parser->getTokenStream()->index(), kinds(getExpectedTokens(parser)));
  }

 private:
  std::vector<TokenKind> kinds(const antlr4::misc::IntervalSet& set) const {
    std::vector<TokenKind> out;
    for (ssize_t type : set.toList()) {
      out.push_back(type < 0 ? TokenKind::END : kind_of(static_cast<size_t>(type)));
    }
    return out;
  }

  // The stream index of `t`; a token conjured by recovery counts as the current one.
  size_t index_of(const antlr4::Token* t, antlr4::Parser* parser) const {
    if (const KcToken* k = stream_.mine(t)) return k->index();
    return parser->getTokenStream()->index();
  }

  void report_expected(antlr4::Parser* parser, size_t offending,
                       const std::vector<TokenKind>& expected) {
    if (report_unclosed(parser, offending, expected)) return;
    std::vector<std::string> parts = expected_parts(expected);
    if (parts.size() == 1 && parts[0].starts_with('`') && offending > 0) {
      report(offending,
             fmt::format("expected {} after `{}`", parts[0], shown(stream_.at(offending - 1))),
             found(offending));
      return;
    }
    std::string label;
    if (is_field_name(stream_.at(offending).type()) &&
        stream_.at(offending + 1).type() == P::ASSIGN) {
      label = fmt::format("`{} =` starts the next assignment", shown(stream_.at(offending)));
    }
    report(offending,
           fmt::format("expected {}, found {}", join_alternatives(parts), phrase(offending)),
           std::move(label));
  }

  // What an item needs after its first token, when that is clear from the first token.
  std::string item_expectation(const antlr4::Token* start, size_t offending) const {
    const KcToken* first = stream_.mine(start);
    if (first == nullptr || offending == 0) return "";
    if (first->index() + 1 != offending) return "";
    switch (first->type()) {
      case P::FOR:
        return "expected a name after `for`";
      case P::IF:
        return "expected a condition after `if`";
      case P::RESOURCE:
        return "expected a resource type (`provider.kind`) after `resource`";
      default:
        if (!is_field_name(first->type())) return "";
        return fmt::format("expected `=` or `{{` after `{}`", shown(*first));
    }
  }

  // "expected `}` to close the block opened at 3:14", when a bracket is open, its closer would fit
  // here, and what came instead looks like the end of the bracket's contents.
  bool report_unclosed(antlr4::Parser* parser, size_t offending,
                       const std::vector<TokenKind>& expected) {
    struct Open {
      const KcToken* opener = nullptr;
      size_t closer = 0;
      const char* what = "";
    };
    Open open;
    auto take = [&](const antlr4::Token* opener, const antlr4::Token* closer, size_t closer_type,
                    const char* what) {
      const KcToken* o = stream_.mine(opener);
      if (o != nullptr && stream_.mine(closer) == nullptr) open = {o, closer_type, what};
    };
    for (antlr4::tree::ParseTree* node = parser->getContext();
         node != nullptr && open.opener == nullptr; node = node->parent) {
      auto* ctx = static_cast<ParserRuleContext*>(node);
      switch (ctx->getRuleIndex()) {
        case P::RuleBody: {
          auto* b = static_cast<P::BodyContext*>(ctx);
          take(b->open, b->close, P::RBRACE, "block");
          break;
        }
        case P::RuleListExpr: {
          auto* l = static_cast<P::ListExprContext*>(ctx);
          take(l->open, l->close, P::RBRACK, "list");
          break;
        }
        case P::RuleExpr: {
          auto* e = static_cast<P::ExprContext*>(ctx);
          if (e->lb != nullptr) take(e->lb, e->close, P::RBRACK, "index");
          if (e->lp != nullptr) {
            take(e->lp, e->close, P::RPAREN, e->lhs != nullptr ? "argument list" : "parenthesis");
          }
          break;
        }
        case P::RuleCheckBlock: {
          auto* c = static_cast<P::CheckBlockContext*>(ctx);
          take(c->open, c->close, P::RBRACE, "check block");
          break;
        }
        case P::RuleAnnotation: {
          auto* a = static_cast<P::AnnotationContext*>(ctx);
          if (a->open != nullptr) take(a->open, a->close, P::RPAREN, "argument list");
          break;
        }
        case P::RuleDecl:
          if (auto* s = dynamic_cast<P::SchemaDeclContext*>(ctx)) {
            take(s->open, s->close, P::RBRACE, "schema");
          } else if (auto* n = dynamic_cast<P::EnumDeclContext*>(ctx)) {
            take(n->open, n->close, P::RBRACE, "enum");
          } else if (auto* f = dynamic_cast<P::FnDeclContext*>(ctx)) {
            take(f->open, f->close, P::RPAREN, "parameter list");
          }
          break;
        case P::RuleTypeExpr: {
          auto* t = static_cast<P::TypeExprContext*>(ctx);
          if (t->list != nullptr) take(t->list, t->listClose, P::RBRACK, "list type");
          if (t->map != nullptr) take(t->map, t->mapClose, P::RBRACE, "map type");
          if (t->range != nullptr) take(t->range, t->rangeClose, P::RPAREN, "range");
          break;
        }
        default:
          break;
      }
    }
    if (open.opener == nullptr ||
        std::ranges::find(expected, kind_of(open.closer)) == expected.end()) {
      return false;
    }
    size_t type = stream_.at(offending).type();
    bool other_closer =
        (type == P::RBRACE || type == P::RBRACK || type == P::RPAREN) && type != open.closer;
    bool new_decl = starts_new_decl(offending) ||
                    (is_decl_keyword(type) && stream_.at(offending).lex().first_on_line) ||
                    (open.closer != P::RBRACE && is_field_name(type) &&
                     stream_.at(offending + 1).type() == P::ASSIGN);
    if (type != antlr4::Token::EOF && !other_closer && !new_decl) return false;
    const LexToken& opener = open.opener->lex();
    source::LineCol at = source_.line_col(opener.begin);
    diag::Diagnostic* d =
        report(offending,
               fmt::format("expected {} to close the {} opened at {}:{}",
                           spelling(kind_of(open.closer)), open.what, at.line, at.column),
               found(offending));
    if (d != nullptr) {
      d->with_secondary(Span{file_, opener.begin, opener.end},
                        fmt::format("`{}` opened here", stream_.text(*open.opener)));
    }
    return true;
  }

  diag::Diagnostic* report(size_t index, std::string message, std::string label) {
    if (suppressed_) return nullptr;
    suppressed_ = true;
    auto pre = std::ranges::lower_bound(pre_reported_, decl_start_);
    if (pre != pre_reported_.end() && *pre <= index) return nullptr;
    const LexToken& t = stream_.at(index).lex();
    diag::Diagnostic& d =
        diags_.error(Code::E0101, Span{file_, t.begin, t.end}, std::move(message));
    if (!label.empty()) d.with_label(std::move(label));
    return &d;
  }

  // True when token `i` is the first on its line and either outside all brackets or at the line's
  // first column: where a declaration starts in a file laid out as usual. Only such a token ends
  // the silence after an error, so text that recovery misplaced cannot cascade.
  bool starts_decl_line(size_t i) const {
    const LexToken& t = stream_.at(i).lex();
    if (i > 0 && !t.first_on_line) return false;
    return t.begin == t.line_begin || depth(i) == 0;
  }

  // How many brackets are open before token `i`.
  int depth(size_t i) const { return i < scanned_.depths.size() ? scanned_.depths[i] : 0; }

  bool could_start_decl(size_t i) const {
    size_t type = stream_.at(i).type();
    return is_decl_keyword(type) || type == P::IDENT || type == P::WITH;
  }

  // A declaration that cannot be anything else starts at token `i`, at the start of a line:
  // `let x =`, `let x:`, `param x:`, `type X =`, `fn f(`, `output x =`, `import "..."`.
  bool starts_new_decl(size_t i) const {
    const LexToken& t = stream_.at(i).lex();
    if (!t.first_on_line || t.begin != t.line_begin) return false;
    size_t type = stream_.at(i).type();
    size_t second = stream_.at(i + 1).type();
    size_t third = stream_.at(i + 2).type();
    bool named = second == P::IDENT || second == P::WITH;
    switch (type) {
      case P::LET:
        return named && (third == P::ASSIGN || third == P::COLON);
      case P::PARAM:
        return named && third == P::COLON;
      case P::TYPE:
      case P::OUTPUT:
        return named && third == P::ASSIGN;
      case P::FN:
        return named && third == P::LPAREN;
      case P::IMPORT:
        return second == P::STRING && third != P::LBRACE;
      default:
        return false;
    }
  }

  // `ctx` has consumed nothing yet: its first token is token `index`.
  bool starts_at(const ParserRuleContext* ctx, size_t index) const {
    const KcToken* start = stream_.mine(ctx->start);
    return start != nullptr && start->index() == index;
  }

  // `name =` (or `"key" =`) starts the line at token `i`.
  bool next_line_assigns(size_t i) const {
    const KcToken& t = stream_.at(i);
    if (i == 0 || !t.lex().first_on_line) return false;
    size_t type = t.type();
    return (type == P::IDENT || type == P::WITH || type == P::STRING) &&
           stream_.at(i + 1).type() == P::ASSIGN;
  }

  // Consumes at least one token, then up to the next line that can start a declaration.
  void skip_to_next_decl(antlr4::Parser* parser) {
    antlr4::TokenStream* in = parser->getTokenStream();
    beginErrorCondition(parser);
    do {
      parser->consume();
    } while (in->LA(1) != antlr4::Token::EOF &&
             !(starts_decl_line(in->index()) && could_start_decl(in->index())));
  }

  // "`foo`" or "the end of the file", for messages.
  std::string phrase(size_t index) const {
    const KcToken& t = stream_.at(index);
    if (t.type() == antlr4::Token::EOF) return "the end of the file";
    // `}` and the string text after it are one token; the `}` is what was found.
    if (t.type() == P::STRING_MIDDLE || t.type() == P::STRING_CLOSE) return "`}`";
    if (t.lex().begin == t.lex().end) return std::string(spelling(kind_of(t.type())));
    return fmt::format("`{}`", shown(t));
  }

  // The token's text as a message shows it: its first line, at most 40 bytes, valid UTF-8.
  std::string shown(const KcToken& t) const {
    std::string_view text = stream_.text(t);
    size_t cut = std::min(text.find_first_of("\r\n"), text.size());
    bool shortened = cut < text.size();
    if (cut > 40) {
      cut = 40;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
      shortened = true;
    }
    std::string out;
    utf8::append_valid(out, text.substr(0, cut));
    if (shortened) out += "...";
    return out;
  }

  std::string unexpected(size_t index) const {
    if (stream_.at(index).type() == antlr4::Token::EOF) return "unexpected end of file";
    return "unexpected " + phrase(index);
  }

  std::string found(size_t index) const {
    if (stream_.at(index).type() == antlr4::Token::EOF) return "the file ends here";
    return "found " + phrase(index);
  }

  const Stream& stream_;
  const Prescanned& scanned_;
  const source::SourceFile& source_;
  source::FileId file_;
  diag::Diagnostics& diags_;
  std::vector<size_t> pre_reported_;  // stream indexes that already have a diagnostic
  const std::vector<NextTokens>* next_tokens_ = nullptr;
  size_t decl_start_ = 0;
  bool suppressed_ = false;
};

// ---- The parser ----

// ANTLR's SLL prediction with a memo in front. The grammar has no predicates, so a prediction is a
// function of the decision, the precedence (for the expression loop) and the tokens it looks at;
// when it looked at no more than two tokens, the answer is stored under those and given directly
// the next time, skipping the runtime's locks and allocations. The answers are the DFA's own, so
// the parse is the same. The memo is per thread (the runtime's DFA is per process).
class Predictor final : public antlr4::atn::ParserATNSimulator {
 public:
  Predictor(antlr4::Parser& parser, const antlr4::atn::ParserATNSimulator& stock,
            const Stream& stream)
      : ParserATNSimulator(
            &parser, stock.atn, stock.decisionToDFA,
            const_cast<antlr4::atn::ParserATNSimulator&>(stock).getSharedContextCache()),
        parser_(parser),
        stream_(stream) {
    setPredictionMode(antlr4::atn::PredictionMode::SLL);
    Memo& memo = this->memo();
    if (memo.first.empty()) memo.first.assign(decisionToDFA.size() * kPrecedences * kSlots, 0);
  }

  size_t adaptivePredict(antlr4::TokenStream* input, size_t decision,
                         antlr4::ParserRuleContext* outer) override {
    int precedence = decisionToDFA[decision].isPrecedenceDfa() ? parser_.getPrecedence() : -1;
    if (precedence + 1 >= static_cast<int>(kPrecedences)) {
      return ParserATNSimulator::adaptivePredict(input, decision, outer);
    }
    Memo& memo = this->memo();
    size_t index = input->index();
    size_t cell = (decision * kPrecedences + static_cast<size_t>(precedence + 1)) * kSlots +
                  slot(stream_.at(index).type());
    uint8_t known = memo.first[cell];
    if (known != kUnknown && known != kNeedsMore) return known;
    uint32_t key2 = static_cast<uint32_t>(cell * kSlots + slot(stream_.at(index + 1).type()));
    if (known == kNeedsMore) {
      auto it = memo.second.find(key2);
      if (it != memo.second.end()) return it->second;
    }
    size_t consumed = stream_.consumed();
    size_t alt = ParserATNSimulator::adaptivePredict(input, decision, outer);
    size_t used = stream_.consumed() - consumed;
    if (alt == 0 || alt >= kNeedsMore) return alt;
    if (used == 0) {
      memo.first[cell] = static_cast<uint8_t>(alt);
    } else {
      memo.first[cell] = kNeedsMore;
      if (used == 1) memo.second.emplace(key2, static_cast<uint8_t>(alt));
    }
    return alt;
  }

 private:
  static constexpr size_t kPrecedences = 32;  // the grammar's precedence levels, plus none
  static constexpr size_t kSlots = 128;       // token types; EOF takes 0
  static constexpr uint8_t kUnknown = 0;
  static constexpr uint8_t kNeedsMore = 255;  // the first token is not enough: see `second`

  struct Memo {
    std::vector<uint8_t> first;                    // [decision][precedence + 1][token]: the alt
    std::unordered_map<uint32_t, uint8_t> second;  // the same with the second token
  };
  static Memo& memo() {
    thread_local Memo memo;
    return memo;
  }
  static size_t slot(size_t type) { return type < kSlots ? type : 0; }

  antlr4::Parser& parser_;
  const Stream& stream_;
};

// The generated parser with the nesting guard, the prediction memo, and the hook that tells
// SyntaxErrors where declarations start. It builds no parse tree of
// children: the AST builder reads labels only.
class Parser final : public KclParser {
 public:
  Parser(Stream& stream, SyntaxErrors& errors, bool full_ll)
      : KclParser(&stream), stream_(stream), errors_(errors) {
    removeErrorListeners();
    setBuildParseTree(false);
    auto* stock = getInterpreter<antlr4::atn::ParserATNSimulator>();
    if (full_ll) {
      stock->setPredictionMode(antlr4::atn::PredictionMode::LL);
    } else {
      // setInterpreter() deletes the stock simulator; the DFA and caches it refers to are static.
      setInterpreter(new Predictor(*this, *stock, stream_));
    }
  }

  // Parses one declaration, as the `file` rule would at its next one.
  DeclContext* declaration() {
    setState(decl_state(getATN()));
    return decl();
  }

  // Destroys the contexts parsed so far; their arena can then be cleared.
  void forget_tree() {
    getTreeTracker().reset();
    _ctx = nullptr;
  }

  void enterRule(ParserRuleContext* ctx, size_t state, size_t rule) override {
    nest(ctx);
    KclParser::enterRule(ctx, state, rule);
    if (rule == RuleDecl) errors_.enter_decl(_input->index());
  }

  using KclParser::enterRecursionRule;
  void enterRecursionRule(ParserRuleContext* ctx, size_t state, size_t rule,
                          int precedence) override {
    nest(ctx);
    KclParser::enterRecursionRule(ctx, state, rule, precedence);
  }

  // A chain's next context takes the place of the one before it.
  void pushNewRecursionContext(ParserRuleContext* ctx, size_t state, size_t rule) override {
    static_cast<KcContext*>(ctx)->nesting = static_cast<KcContext*>(_ctx)->nesting;
    KclParser::pushNewRecursionContext(ctx, state, rule);
  }

  // A labelled alternative's context replaces the rule's.
  void enterOuterAlt(ParserRuleContext* ctx, size_t alt) override {
    if (ctx != _ctx) static_cast<KcContext*>(ctx)->nesting = static_cast<KcContext*>(_ctx)->nesting;
    KclParser::enterOuterAlt(ctx, alt);
  }

 private:
  // Gives `ctx` its nesting; past kMaxRuleDepth the declaration is abandoned.
  void nest(ParserRuleContext* ctx) {
    auto* parent = static_cast<KcContext*>(static_cast<ParserRuleContext*>(ctx->parent));
    int nesting = parent == nullptr ? 0 : parent->nesting + 1;
    if (nesting > kMaxRuleDepth) throw TooDeep{_input->index()};
    static_cast<KcContext*>(ctx)->nesting = nesting;
  }

  // The state of the `file` rule from which it invokes `decl`: error recovery computes what may
  // follow a declaration from it.
  static size_t decl_state(const antlr4::atn::ATN& atn) {
    static const size_t state = [&] {
      const antlr4::atn::ATNState* target = atn.ruleToStartState[RuleDecl];
      for (const antlr4::atn::ATNState* s : atn.states) {
        if (s == nullptr || s->ruleIndex != RuleFile) continue;
        for (const antlr4::atn::Transition* t : s->transitions) {
          if (t->getSerializationType() == antlr4::atn::Transition::RULE && t->target == target) {
            return s->stateNumber;
          }
        }
      }
      return size_t{0};
    }();
    return state;
  }

  Stream& stream_;
  SyntaxErrors& errors_;
};

}  // namespace

ParseResult parse(const source::SourceManager& sources, source::FileId file,
                  const ParseOptions& options) {
  ParseResult result;
  result.file.file = file;
  const source::SourceFile& source = sources.file(file);
  std::string_view text = source.text();
  try {
    LexResult lexed = lex(text, file, result.diagnostics);
    Prescanned scanned = prescan(lexed, file, result.diagnostics);
    Stream stream(text, lexed, scanned, source.path());
    auto errors = std::make_shared<SyntaxErrors>(stream, scanned, source, file, result.diagnostics);
    TreeToAst builder(TreeTokens{text, &lexed, &scanned.kept}, file, result.file,
                      result.diagnostics);
    // The parsers' rule contexts come from this arena, which outlives them.
    KcContext::Arena arena;
    struct Install {
      explicit Install(KcContext::Arena* a) { KcContext::arena() = a; }
      ~Install() { KcContext::arena() = nullptr; }
      Install(const Install&) = delete;
      Install& operator=(const Install&) = delete;
    } install(&arena);
    result.file.exprs.reserve(scanned.kept.size() / 2);
    result.file.bodies.reserve(scanned.kept.size() / 16);
    // Declarations are parsed and turned into AST one at a time, so only one declaration's parse
    // tree exists at any time and its memory is reused for the next.
    auto parser = std::make_unique<Parser>(stream, *errors, options.full_ll);
    parser->setErrorHandler(errors);
    while (true) {
      errors->between_declarations(parser.get());
      if (stream.LA(1) == antlr4::Token::EOF) break;
      size_t before = result.diagnostics.all().size();
      size_t first = stream.position();
      try {
        P::DeclContext* decl = parser->declaration();
        bool reported = result.diagnostics.all().size() > before ||
                        errors->reported_between(first, stream.position());
        builder.declaration(static_cast<DeclTree*>(static_cast<void*>(decl)), reported);
      } catch (const TooDeep& deep) {
        // Rule invocations nest too deep: the declaration is reported and skipped, and a fresh
        // parser goes on at the next declaration line.
        errors->too_deep(deep.token);
        stream.seek(errors->next_decl(deep.token + 1));
        parser->forget_tree();
        arena.clear();
        parser = std::make_unique<Parser>(stream, *errors, options.full_ll);
        parser->setErrorHandler(errors);
        errors->reset(parser.get());
        continue;
      }
      parser->forget_tree();
      arena.clear();
    }
    parser.reset();
    result.file.comments = std::move(lexed.comments);
  } catch (const std::exception& e) {
    // The ANTLR runtime reports its own failures by throwing; none should escape, but a parse
    // must end in diagnostics, never in an exception.
    auto end = static_cast<uint32_t>(text.size());
    result.diagnostics.error(Code::E0101, Span{file, end, end},
                             fmt::format("internal parser error: {}", e.what()));
  }
  result.diagnostics.sort();
  return result;
}

}  // namespace kc::syntax
