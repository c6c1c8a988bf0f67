// The AST builder (tree_to_ast.h): turns one parse tree of the generated ANTLR parser into
// ast::File nodes. Shares the parse tree with parse.cpp only; no ANTLR type leaves the two.
#include "compiler/syntax/tree_to_ast.h"

#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <algorithm>
#include <typeinfo>

#include "KclParser.h"
#include "compiler/syntax/doc_comments.h"
#include "compiler/syntax/literals.h"
#include "compiler/syntax/parse.h"

namespace kc::syntax {

namespace {

using antlr4::ParserRuleContext;
using diag::Code;
using source::Span;
using K = TokenKind;
using LexToken = syntax::Token;
using P = grammar::KclParser;

// Identifiers and keywords: whatever may name a field. The keywords are contiguous in
// token_kinds.def, from IMPORT to SELF.
bool is_field_name(TokenKind kind) {
  return kind == K::IDENT || kind == K::WITH || (kind >= K::IMPORT && kind <= K::SELF);
}

// A token of the parse tree, seen as the lexer's token and its index in the parser's stream.
struct Tok {
  const LexToken* lex = nullptr;
  size_t index = 0;
  explicit operator bool() const { return lex != nullptr; }
  TokenKind kind() const { return lex->kind; }
};

}  // namespace

class TreeToAst::Impl {
 public:
  Impl(TreeTokens tokens, source::FileId file, ast::File& out, diag::Diagnostics& diags)
      : tokens_(tokens), file_id_(file), out_(out), diags_(diags) {}

  // Adds one parsed declaration. `reported`: it already has a diagnostic, so errors found while
  // building it are not reported (each declaration gets at most one).
  void declaration(P::DeclContext* ctx, bool reported) {
    if (ctx == nullptr) return;
    quiet_ = reported;
    decl(ctx);
  }

 private:
  // One more level of nesting for the nodes built while it lives.
  class Nest {
   public:
    Nest(Impl& c, Span at) : c_(c) {
      if (++c_.depth_ > kMaxNesting) c_.report_too_deep(at);
    }
    ~Nest() { --c_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    bool too_deep() const { return c_.depth_ > kMaxNesting; }

   private:
    Impl& c_;
  };

  void report_too_deep(Span at) {
    if (diag::Diagnostic* d =
            report(at, fmt::format("nesting deeper than {} levels", kMaxNesting))) {
      d->with_label("too deep").with_note("split the value into named `let` bindings");
    }
  }

  // A syntax error found while building the tree: reported unless the declaration already has a
  // diagnostic, so each declaration gets at most one.
  diag::Diagnostic* report(Span at, std::string message) {
    if (quiet_) return nullptr;
    quiet_ = true;
    return &diags_.error(Code::E0101, at, std::move(message));
  }

  // Labelled alternatives are told apart by their exact class. The generated classes have key
  // functions in one object file of this static library, so each has one type_info object and
  // comparing addresses suffices (type_info::operator== would compare names).
  template <typename T>
  static T* as(ParserRuleContext* ctx) {
    return ctx != nullptr && &typeid(*ctx) == &typeid(T) ? static_cast<T*>(ctx) : nullptr;
  }

  // ---- Positions ----

  // The lexer's token behind a parse-tree token; none for one conjured by error recovery.
  Tok tok(const antlr4::Token* t) const {
    if (!t) return {};
    size_t index = t->getTokenIndex();
    if (index == INVALID_INDEX || index >= tokens_.kept->size()) return {};
    return {&tokens_.lexed->tokens[(*tokens_.kept)[index]], index};
  }
  // The token at stream index `index` (the last, END, past the end).
  Tok at(size_t index) const {
    index = std::min(index, tokens_.kept->size() - 1);
    return {&tokens_.lexed->tokens[(*tokens_.kept)[index]], index};
  }

  Span span(Tok t) const { return {file_id_, t.lex->begin, t.lex->end}; }
  Span at_start(Tok t) const { return {file_id_, t.lex->begin, t.lex->begin}; }
  static Span end_of(Span s) { return {s.file, s.end, s.end}; }

  // From the first token of `ctx` to its last; empty at its start when it holds no token.
  Span span(const ParserRuleContext* ctx) const {
    Tok a = tok(ctx->start);
    if (!a) return end_of_file();
    Tok b = tok(ctx->stop);
    if (!b || b.index < a.index) return at_start(a);
    uint32_t end = ctx->stop == clip_stop_ ? clip_end_ : b.lex->end;
    return {file_id_, a.lex->begin, std::max(a.lex->begin, end)};
  }
  // From `first` to `last`, or to the end of `ctx` when `last` is missing.
  Span span(const antlr4::Token* first, const antlr4::Token* last,
            const ParserRuleContext* ctx) const {
    Tok a = tok(first);
    if (!a) return span(ctx);
    Tok b = tok(last);
    if (!b || b.index < a.index) {
      Span whole = span(ctx);
      return {file_id_, a.lex->begin, std::max(a.lex->end, whole.end)};
    }
    return {file_id_, a.lex->begin, b.lex->end};
  }
  Span end_of_file() const {
    auto end = static_cast<uint32_t>(tokens_.text.size());
    return {file_id_, end, end};
  }
  // The context consumed no token (a syntax error left it empty).
  bool empty(const ParserRuleContext* ctx) const {
    if (ctx == nullptr) return true;
    Tok a = tok(ctx->start);
    Tok b = tok(ctx->stop);
    return !a || !b || b.index < a.index;
  }

  std::string_view text(Tok t) const {
    return tokens_.text.substr(t.lex->begin, t.lex->end - t.lex->begin);
  }

  // The `##` doc comment above the construct that starts with `first`.
  std::string doc(const antlr4::Token* first) const {
    Tok t = tok(first);
    if (!t || tokens_.lexed->comments.empty()) return {};
    const LexToken* lex = t.lex;
    auto index = static_cast<size_t>(lex - tokens_.lexed->tokens.data());
    uint32_t after = index == 0 ? 0 : tokens_.lexed->tokens[index - 1].end;
    return doc_comment(tokens_.lexed->comments, tokens_.text, after, lex->begin);
  }

  // ---- Names ----

  // A name token; nullopt when it is missing, or is not a name (error recovery may leave a token
  // of another kind in a label).
  std::optional<ast::Name> name(const antlr4::Token* t) const {
    Tok k = tok(t);
    if (!k || !is_field_name(k.kind())) return std::nullopt;
    return ast::Name{std::string(text(k)), span(k)};
  }

  std::optional<ast::QualifiedName> qualified(const antlr4::Token* first,
                                              const antlr4::Token* second) const {
    auto a = name(first);
    if (!a) return std::nullopt;
    ast::QualifiedName q;
    q.span = a->span;
    if (second != nullptr) {
      auto b = name(second);
      if (!b) return std::nullopt;
      q.span = Span::cover(q.span, b->span);
      q.module = std::move(a);
      q.name = std::move(*b);
    } else {
      q.name = std::move(*a);
    }
    return q;
  }

  // A block or resource label: a name, or a string.
  std::optional<ast::Label> label(const antlr4::Token* id, P::StringExprContext* str) {
    if (id != nullptr) {
      auto n = name(id);
      if (!n) return std::nullopt;
      return ast::Label{n->span, std::move(n), {}};
    }
    if (empty(str)) return std::nullopt;
    ast::ExprId s = string(str);
    return ast::Label{out_.expr(s).span, std::nullopt, s};
  }

  // ---- Declarations ----

  void decl(P::DeclContext* ctx) {
    ast::Decl out;
    out.span = span(ctx);
    Span end = end_of(out.span);
    if (auto* ex = as<P::ExportDeclContext>(ctx)) {
      auto n = name(ex->id);
      if (!n) return;
      out.node = ast::Export{std::move(*n), expr(ex->value, end)};
    } else if (auto* ld = as<P::LetDeclContext>(ctx)) {
      auto n = name(ld->id);
      if (!n) return;
      out.node = let(std::move(*n), ld->type, ld->value, end);
    } else if (auto* pd = as<P::ParamDeclContext>(ctx)) {
      auto n = name(pd->id);
      if (!n) return;
      ast::Param param{std::move(*n), type(pd->type, end), std::nullopt};
      if (pd->value != nullptr) param.default_value = expr(pd->value, end);
      out.node = std::move(param);
    } else if (auto* od = as<P::OutputDeclContext>(ctx)) {
      auto n = name(od->id);
      if (!n) return;
      out.node = ast::Output{std::move(*n), expr(od->value, end)};
    } else if (auto* im = as<P::ImportDeclContext>(ctx)) {
      auto node = import(im);
      if (!node) return;
      out.node = std::move(*node);
    } else if (auto* td = as<P::TypeDeclContext>(ctx)) {
      auto n = name(td->id);
      if (!n) return;
      ast::TypeAlias alias{std::move(*n), type(td->type, end), std::nullopt};
      if (td->check != nullptr) alias.check = check(td->check);
      out.node = std::move(alias);
    } else if (auto* ed = as<P::EnumDeclContext>(ctx)) {
      auto n = name(ed->id);
      if (!n) return;
      ast::Enum e{std::move(*n), {}};
      for (const antlr4::Token* m : ed->members) {
        if (auto member = name(m)) e.members.push_back(ast::EnumMember{std::move(*member), doc(m)});
      }
      out.node = std::move(e);
    } else if (auto* sd = as<P::SchemaDeclContext>(ctx)) {
      auto n = name(sd->id);
      if (!n) return;
      out.node = schema(std::move(*n), sd);
    } else if (auto* fd = as<P::FnDeclContext>(ctx)) {
      auto n = name(fd->id);
      if (!n) return;
      out.node = fn(std::move(*n), fd, end);
    } else if (auto* pv = as<P::ProviderDeclContext>(ctx)) {
      auto n = name(pv->id);
      if (!n) return;
      ast::Provider provider{std::move(*n), std::nullopt, body(pv->config, end)};
      if (pv->alias != nullptr) provider.alias = name(pv->alias);
      out.node = std::move(provider);
    } else if (auto* bd = as<P::BackendDeclContext>(ctx)) {
      auto n = name(bd->id);
      if (!n) return;
      out.node = ast::Backend{std::move(*n), body(bd->config, end)};
    } else {
      return;
    }
    out.doc = doc(ctx->start);
    out_.decls.push_back(std::move(out));
  }

  ast::Let let(ast::Name n, P::TypeExprContext* type_ctx, P::ExprContext* value, Span end) {
    ast::Let out{std::move(n), std::nullopt, {}};
    if (type_ctx != nullptr) out.type = type(type_ctx, end);
    out.value = expr(value, end);
    return out;
  }

  std::optional<ast::Import> import(P::ImportDeclContext* ctx) const {
    Tok path = tok(ctx->path);
    if (!path || path.kind() != K::STRING) return std::nullopt;
    ast::Import out;
    std::string_view raw = text(path);
    out.path = decode_string(raw, string_token_text(TokenKind::STRING, raw).terminated).value;
    out.path_span = span(path);
    if (ctx->alias != nullptr) {
      out.alias = name(ctx->alias);
      if (!out.alias) return std::nullopt;
      out.binding = *out.alias;
    } else {
      std::string_view binding = out.path;
      binding.remove_prefix(std::min(binding.size(), binding.rfind('/') + 1));
      if (binding.ends_with(".kcl")) binding.remove_suffix(4);
      out.binding = {std::string(binding), out.path_span};
    }
    return out;
  }

  ast::Schema schema(ast::Name n, P::SchemaDeclContext* ctx) {
    ast::Schema out;
    out.name = std::move(n);
    if (ctx->base != nullptr) out.parent = qualified(ctx->base, ctx->baseName);
    out.body_span = span(ctx->open, ctx->close, ctx);
    Nest nest(*this, out.body_span);
    if (nest.too_deep()) return out;
    for (P::SchemaItemContext* item : ctx->items) {
      if (item == nullptr) continue;
      ast::SchemaItem s;
      s.span = span(item);
      Span end = end_of(s.span);
      if (auto* f = as<P::FieldDeclContext>(item)) {
        auto key = name(f->key);
        if (!key) continue;
        ast::FieldDecl field;
        for (P::AnnotationContext* a : f->annotations) {
          if (auto annotation = this->annotation(a)) field.annotations.push_back(*annotation);
        }
        field.name = std::move(*key);
        field.type = type(f->type, end);
        if (f->value != nullptr) field.default_value = expr(f->value, end);
        s.node = std::move(field);
      } else if (auto* l = as<P::SchemaLetContext>(item)) {
        auto id = name(l->id);
        if (!id) continue;
        s.node = let(std::move(*id), l->type, l->value, end);
      } else if (auto* c = as<P::SchemaCheckContext>(item)) {
        if (c->check == nullptr) continue;
        s.node = check(c->check);
      } else {
        continue;
      }
      s.doc = doc(item->start);
      out.items.push_back(std::move(s));
    }
    return out;
  }

  std::optional<ast::Annotation> annotation(P::AnnotationContext* ctx) {
    if (ctx == nullptr) return std::nullopt;
    auto n = name(ctx->id);
    if (!n) return std::nullopt;
    ast::Annotation out{std::move(*n), {}, span(ctx)};
    Nest nest(*this, out.span);
    if (nest.too_deep()) return out;
    for (P::ExprContext* arg : ctx->args)
      out.args.push_back(expr(arg, end_of(out.span)));
    return out;
  }

  ast::CheckBlock check(P::CheckBlockContext* ctx) {
    ast::CheckBlock out{span(ctx), {}};
    Nest nest(*this, out.span);
    if (nest.too_deep()) return out;
    for (P::CheckLineContext* line : ctx->lines) {
      if (line == nullptr) continue;
      Span s = span(line);
      ast::ExprId condition = expr(line->cond, end_of(s));
      ast::ExprId message = empty(line->message) ? error_expr(end_of(s)) : string(line->message);
      out.lines.push_back(ast::CheckLine{condition, message, s});
    }
    return out;
  }

  ast::Fn fn(ast::Name n, P::FnDeclContext* ctx, Span end) {
    ast::Fn out{std::move(n), {}, std::nullopt, {}};
    for (P::FnParamContext* p : ctx->params) {
      if (p == nullptr) continue;
      auto id = name(p->id);
      if (!id) continue;
      Span s = span(p);
      ast::FnParam param{std::move(*id), type(p->type, end_of(s)), std::nullopt, s};
      if (p->value != nullptr) param.default_value = expr(p->value, end_of(s));
      out.params.push_back(std::move(param));
    }
    if (ctx->result != nullptr) out.result = type(ctx->result, end);
    out.body = expr(ctx->value, end);
    return out;
  }

  // ---- Types ----

  ast::TypeExprId error_type(Span at) {
    return out_.add(ast::TypeExpr{ast::TypeExpr::Kind::Error, at, {}, {}, {}, {}});
  }

  ast::TypeExprId type(P::TypeExprContext* ctx, Span fallback) {
    if (empty(ctx)) return error_type(fallback);
    Span whole = span(ctx);
    // `T???`: each `?` wraps what is before it, so the innermost is the type without them.
    int marks = 0;
    for (const antlr4::Token* q : ctx->marks) {
      if (tok(q)) ++marks;
    }
    if (depth_ + marks > kMaxNesting) {
      report_too_deep(whole);
      return error_type(whole);
    }
    depth_ += marks;
    ast::TypeExprId inner = type_without_marks(ctx, whole);
    for (const antlr4::Token* q : ctx->marks) {
      Tok mark = tok(q);
      if (!mark) continue;
      --depth_;
      Span s{file_id_, whole.begin, mark.lex->end};
      inner = out_.add(ast::TypeExpr{ast::TypeExpr::Kind::Optional, s, {}, inner, {}, {}});
    }
    return inner;
  }

  ast::TypeExprId type_without_marks(P::TypeExprContext* ctx, Span whole) {
    Span s = whole;
    if (!ctx->marks.empty()) {
      Tok first_mark = tok(ctx->marks.front());
      if (first_mark) s.end = std::max(s.begin, first_mark.lex->begin);
      // The `?` may follow a space: end at the last token before it.
      if (first_mark && first_mark.index > 0) {
        s.end = std::max(s.begin, at(first_mark.index - 1).lex->end);
      }
    }
    if (ctx->first != nullptr) {
      auto q = qualified(ctx->first, ctx->second);
      if (!q) return error_type(s);
      ast::TypeExpr out{ast::TypeExpr::Kind::Named, s, std::move(*q), {}, {}, {}};
      if (ctx->range != nullptr) {
        out.kind = ast::TypeExpr::Kind::Range;
        Nest nest(*this, s);
        if (nest.too_deep()) return error_type(s);
        if (ctx->low != nullptr) out.low = bound(ctx->low);
        if (ctx->high != nullptr) out.high = bound(ctx->high);
      }
      return out_.add(std::move(out));
    }
    Nest nest(*this, s);
    if (nest.too_deep()) return error_type(s);
    if (ctx->list != nullptr) {
      ast::TypeExprId element = type(ctx->element, end_of(s));
      return out_.add(ast::TypeExpr{ast::TypeExpr::Kind::List, s, {}, element, {}, {}});
    }
    if (ctx->map != nullptr) {
      if (auto key = name(ctx->key); key && key->text != "string") {
        if (diag::Diagnostic* d = report(key->span, "map keys are strings: write `{string: T}`")) {
          d->with_label(fmt::format("`{}` cannot be a key type", key->text));
        }
      }
      ast::TypeExprId value = type(ctx->value, end_of(s));
      return out_.add(ast::TypeExpr{ast::TypeExpr::Kind::Map, s, {}, value, {}, {}});
    }
    return error_type(s);
  }

  // A range bound: a literal, possibly negated.
  ast::ExprId bound(P::RangeBoundContext* ctx) {
    Span s = span(ctx);
    Tok lit = tok(ctx->lit);
    if (!lit) return error_expr(s);
    ast::ExprId value = literal(lit);
    Tok neg = tok(ctx->neg);
    if (!neg) return value;
    return out_.add(ast::Expr{s, ast::Unary{ast::UnaryOp::Neg, value, span(neg)}});
  }

  // ---- Bodies ----

  ast::BodyId body(P::BodyContext* ctx, Span fallback) {
    ast::Body out;
    out.span = ctx == nullptr ? fallback : body_span(ctx);
    Nest nest(*this, out.span);
    if (ctx == nullptr || nest.too_deep()) return out_.add(std::move(out));
    if (Tok tail = tok(ctx->tail)) {
      // Its items are clauses, not items: nothing more to say about them.
      if (diag::Diagnostic* d = report(span(tail), "a map comprehension is a value, not a block")) {
        d->with_label("`: key => value` makes these braces a map comprehension")
            .with_note("write the map as a value: `field = {for k, v in m: k => v}`");
      }
      return out_.add(std::move(out));
    }
    for (P::ItemContext* item : ctx->items) {
      if (item == nullptr) continue;
      if (auto converted = this->item(item)) out.items.push_back(std::move(*converted));
    }
    return out_.add(std::move(out));
  }

  Span body_span(P::BodyContext* ctx) const { return span(ctx->open, ctx->close, ctx); }

  std::optional<ast::BodyItem> item(P::ItemContext* ctx) {
    ast::BodyItem out;
    out.span = span(ctx);
    Span end = end_of(out.span);
    if (auto* a = as<P::AssignItemContext>(ctx)) {
      auto key = name(a->key);
      if (!key) return std::nullopt;
      ast::Label key_label{key->span, std::move(key), {}};
      out.node = ast::FieldAssign{std::move(key_label), expr(a->value, end), false};
    } else if (auto* b = as<P::BlockItemContext>(ctx)) {
      auto key = name(b->key);
      if (!key) return std::nullopt;
      ast::Label key_label{key->span, std::move(key), {}};
      out.node = ast::FieldAssign{std::move(key_label), block_record(b->block, end), true};
    } else if (auto* l = as<P::LabelledItemContext>(ctx)) {
      auto field = name(l->key);
      auto entry = label(l->label, l->slabel);
      if (!field || !entry) return std::nullopt;
      out.node = ast::LabelledBlock{std::move(*field), std::move(*entry), body(l->block, end)};
    } else if (auto* s = as<P::StringItemContext>(ctx)) {
      if (empty(s->skey)) return std::nullopt;
      ast::ExprId key = string(s->skey);
      ast::Label key_label{out_.expr(key).span, std::nullopt, key};
      if (s->block != nullptr) {
        out.node = ast::FieldAssign{std::move(key_label), block_record(s->block, end), true};
      } else {
        out.node = ast::FieldAssign{std::move(key_label), expr(s->value, end), false};
      }
    } else if (auto* f = as<P::ForItemContext>(ctx)) {
      Header header = split_header(f->head != nullptr ? f->head->iter : nullptr);
      if (header.record == nullptr) {
        missing_body(f->head);
        return std::nullopt;
      }
      auto loop = comp_for(f->head, header.record);
      if (!loop) return std::nullopt;
      out.node = ast::ForItem{std::move(loop->key), std::move(loop->value), loop->expr,
                              body(header.record->record, end)};
    } else if (auto* i = as<P::IfItemContext>(ctx)) {
      ast::IfItem node;
      for (P::IfBranchContext* branch : i->branches) {
        if (branch == nullptr) continue;
        Header header = split_header(branch->cond);
        if (header.record == nullptr) {
          missing_body(branch);
          return std::nullopt;
        }
        Span branch_span = span(branch);
        ast::ExprId condition = header_expr(branch->cond, header.record, end_of(branch_span));
        node.branches.push_back(
            ast::IfBranch{condition, body(header.record->record, end), branch_span});
      }
      if (node.branches.empty()) return std::nullopt;
      if (i->otherwise != nullptr) node.else_body = body(i->otherwise, end);
      out.node = std::move(node);
    } else if (auto* r = as<P::ResourceItemContext>(ctx)) {
      if (empty(r->resource)) return std::nullopt;
      out.node = ast::ResourceItem{resource(r->resource)};
    } else {
      return std::nullopt;
    }
    out.doc = doc(ctx->start);
    return out;
  }

  // `field { ... }`: a record literal without a schema spanning the braces.
  ast::ExprId block_record(P::BodyContext* ctx, Span fallback) {
    Span s = ctx == nullptr ? fallback : body_span(ctx);
    ast::BodyId b = body(ctx, s);
    return out_.add(ast::Expr{s, ast::RecordLit{std::nullopt, b}});
  }

  struct Loop {
    std::optional<ast::Name> key;
    ast::Name value;
    ast::ExprId expr;
    Span span;
  };
  // `for k, v in xs`; for a `for` item, `body` is the record literal that ends `xs` and is left
  // out of the iterable.
  std::optional<Loop> comp_for(P::CompForContext* ctx, P::ExprContext* body = nullptr) {
    if (ctx == nullptr) return std::nullopt;
    auto value = name(ctx->value);
    if (!value) return std::nullopt;
    Loop out;
    if (ctx->key != nullptr) {
      out.key = name(ctx->key);
      if (!out.key) return std::nullopt;
    }
    out.value = std::move(*value);
    out.span = span(ctx);
    out.expr = body != nullptr ? header_expr(ctx->iter, body, end_of(out.span))
                               : expr(ctx->iter, end_of(out.span));
    if (body != nullptr) out.span.end = out_.expr(out.expr).span.end;
    return out;
  }

  // The header of a `for` or `if` item (`xs { ... }`, `a == b { ... }`) and, when it ends with
  // one, the record literal whose braces are the item's body: the suffix at the end of its right
  // edge (through binary operators, prefix operators and `else` branches).
  struct Header {
    P::ExprContext* record = nullptr;
  };
  static Header split_header(P::ExprContext* e) {
    while (e != nullptr) {
      if (e->op != nullptr && e->lhs != nullptr && e->rhs != nullptr) {
        e = e->rhs;
      } else if (e->op != nullptr && e->lhs == nullptr && e->operand != nullptr) {
        e = e->operand;
      } else if (e->kw != nullptr && e->elseValue != nullptr) {
        e = e->elseValue;
      } else {
        break;
      }
    }
    if (e == nullptr || e->record == nullptr || e->lhs == nullptr) return {};
    return {e};
  }

  // The header without its trailing record literal `body`: that suffix is replaced by what it
  // follows, and the nodes that ended with its `}` end before its `{`.
  ast::ExprId header_expr(P::ExprContext* header, P::ExprContext* body, Span fallback) {
    detached_ = body;
    clip_stop_ = body->stop;
    Tok last = tok(body->lhs->stop);
    clip_end_ = last ? last.lex->end : 0;
    ast::ExprId out = expr(header, fallback);
    detached_ = nullptr;
    clip_stop_ = nullptr;
    return out;
  }

  // A `for` or `if` item whose header does not end with its body's braces.
  void missing_body(ParserRuleContext* header) {
    if (header == nullptr) return;
    Tok last = tok(header->stop);
    if (!last) return;
    size_t next = last.index + 1;
    Tok found = at(next);
    std::string what =
        found.kind() == K::END ? "the file ends here" : fmt::format("found `{}`", text(found));
    if (diag::Diagnostic* d =
            report(span(found), fmt::format("expected `{{` after `{}`", text(last)))) {
      d->with_label(std::move(what))
          .with_note("the body of a `for` or `if` item is written in braces after its header");
    }
  }

  static ast::CompClause clause(Loop loop) {
    ast::CompClause c;
    c.kind = ast::CompClause::Kind::For;
    c.key = std::move(loop.key);
    c.value = std::move(loop.value);
    c.expr = loop.expr;
    c.span = loop.span;
    return c;
  }

  // The clauses after the first `for` of a comprehension.
  void clauses(const std::vector<P::CompClauseContext*>& ctxs, std::vector<ast::CompClause>& out) {
    for (P::CompClauseContext* c : ctxs) {
      if (empty(c)) continue;
      if (c->loop != nullptr) {
        if (auto loop = comp_for(c->loop)) out.push_back(clause(std::move(*loop)));
        continue;
      }
      ast::CompClause cond;
      cond.kind = ast::CompClause::Kind::If;
      cond.span = span(c);
      cond.expr = expr(c->cond, end_of(cond.span));
      out.push_back(std::move(cond));
    }
  }

  // ---- Expressions ----

  ast::ExprId error_expr(Span at) { return out_.add(ast::Expr{at, ast::Error{}}); }

  // An expression. The chain of suffixes and left-associative operators that ANTLR nests to the
  // left (`a.b(c)[d] + e - f`) is collected with a loop and built from the inside out.
  ast::ExprId expr(P::ExprContext* ctx, Span fallback) {
    if (ctx != nullptr && ctx == detached_) ctx = ctx->lhs;
    if (empty(ctx)) {
      Tok start = ctx != nullptr ? tok(ctx->start) : Tok{};
      return error_expr(start ? at_start(start) : fallback);
    }
    size_t base = spine_.size();
    P::ExprContext* e = ctx;
    while (e->lhs != nullptr && !is_schema_record(e)) {
      spine_.push_back(e);
      e = e->lhs;
    }
    size_t length = spine_.size() - base;
    if (depth_ + static_cast<int>(length) > kMaxNesting) {
      // The first operator (from the left, which is the innermost) past the limit.
      size_t k = depth_ >= kMaxNesting ? 0 : static_cast<size_t>(kMaxNesting - depth_);
      report_too_deep(k < length ? operator_span(spine_[spine_.size() - 1 - k]) : span(ctx));
      spine_.resize(base);
      return error_expr(span(ctx));
    }
    int outer = depth_;
    depth_ += static_cast<int>(length);
    ast::ExprId result = atom(e);
    while (spine_.size() > base) {
      P::ExprContext* s = spine_.back();
      spine_.pop_back();
      --depth_;
      result = suffix(s, result);
    }
    depth_ = outer;
    return result;
  }

  // `Name { ... }` or `mod.Name { ... }`: a record whose schema is written before the braces.
  static bool is_schema_record(P::ExprContext* e) {
    if (e->record == nullptr || e->lhs == nullptr) return false;
    P::ExprContext* l = e->lhs;
    if (l->id != nullptr && l->lhs == nullptr) return true;
    return l->member != nullptr && l->lhs != nullptr && l->lhs->id != nullptr &&
           l->lhs->lhs == nullptr;
  }

  // Where the operator or suffix of a spine element starts, for diagnostics.
  Span operator_span(P::ExprContext* e) const {
    for (const antlr4::Token* t : {e->op, e->lp, e->lb, e->with}) {
      if (Tok k = tok(t)) return span(k);
    }
    if (e->record != nullptr) {
      if (Tok k = tok(e->record->open)) return span(k);
    }
    if (Tok k = tok(e->member)) return span(k);
    return span(e);
  }

  // The innermost expression of a chain: a literal, name, bracketed expression, prefix operator or
  // `if`.
  ast::ExprId atom(P::ExprContext* e) {
    Span s = span(e);
    Span end{file_id_, s.end, s.end};
    if (e->lit) {
      Tok t = tok(e->lit);
      return !t ? error_expr(s) : literal(t);
    }
    if (e->id != nullptr) {
      auto n = name(e->id);
      if (!n) return error_expr(s);
      return out_.add(ast::Expr{s, ast::NameRef{std::move(*n)}});
    }
    // A body is one level of nesting; the expression that holds it adds none.
    if (e->record != nullptr && e->lhs != nullptr) return schema_record(e);
    if (e->record != nullptr) return braces(e->record);
    if (e->resource != nullptr) return resource(e->resource);
    Nest nest(*this, s);
    if (nest.too_deep()) return error_expr(s);
    if (e->str != nullptr) return string(e->str);
    if (e->list != nullptr) return list(e->list);
    if (e->lp != nullptr) return out_.add(ast::Expr{s, ast::Paren{expr(e->inner, end)}});
    if (e->kw != nullptr) {
      ast::IfElse node{expr(e->cond, end), expr(e->thenValue, end), expr(e->elseValue, end)};
      return out_.add(ast::Expr{s, node});
    }
    if (e->op && e->operand != nullptr) {
      Tok op = tok(e->op);
      if (!op) return error_expr(s);
      ast::UnaryOp kind = op.kind() == K::BANG ? ast::UnaryOp::Not : ast::UnaryOp::Neg;
      return out_.add(ast::Expr{s, ast::Unary{kind, expr(e->operand, end), span(op)}});
    }
    return error_expr(s);
  }

  ast::ExprId schema_record(P::ExprContext* e) {
    Span s = span(e);
    ast::QualifiedName q;
    P::ExprContext* l = e->lhs;
    if (l->id != nullptr) {
      auto n = name(l->id);
      if (!n) return error_expr(s);
      q.name = std::move(*n);
    } else {
      auto module = name(l->lhs->id);
      auto n = name(l->member);
      if (!module || !n) return error_expr(s);
      q.module = std::move(module);
      q.name = std::move(*n);
    }
    q.span = span(l);
    ast::BodyId b = body(e->record, s);
    return out_.add(ast::Expr{s, ast::RecordLit{std::move(q), b}});
  }

  // One suffix or binary operator applied to `object`, the expression built so far.
  ast::ExprId suffix(P::ExprContext* e, ast::ExprId object) {
    Span s = span(e);
    Span end{file_id_, s.end, s.end};
    if (e->with != nullptr) {
      Span b = e->update != nullptr ? body_span(e->update) : end;
      return out_.add(ast::Expr{s, ast::With{object, body(e->update, b)}});
    }
    Nest nest(*this, s);
    if (e->member != nullptr || (e->op == nullptr && e->lp == nullptr && e->lb == nullptr &&
                                 e->with == nullptr && e->record == nullptr)) {
      auto member = name(e->member);
      if (!member) return error_expr(s);
      return out_.add(ast::Expr{s, ast::Member{object, std::move(*member)}});
    }
    if (e->lp != nullptr) {
      ast::Call call{object, {}};
      for (P::ExprContext* arg : e->args)
        call.args.push_back(expr(arg, end));
      return out_.add(ast::Expr{s, std::move(call)});
    }
    if (e->lb != nullptr) return out_.add(ast::Expr{s, ast::Index{object, expr(e->index, end)}});
    if (e->record != nullptr) {
      // `f(x) { ... }`: only a name or `module.Name` can stand before a record's braces.
      if (diag::Diagnostic* d =
              report(span(e->lhs), "expected a schema name (`Name` or `module.Name`) before `{`")) {
        d->with_label("not a schema name");
      }
      return error_expr(s);
    }
    Tok op = tok(e->op);
    if (!op) return error_expr(s);
    ast::Binary node{binary_op(op.kind()), object, expr(e->rhs, end), span(op)};
    return out_.add(ast::Expr{s, node});
  }

  static ast::BinaryOp binary_op(TokenKind type) {
    switch (type) {
      case K::COALESCE:
        return ast::BinaryOp::Coalesce;
      case K::OR:
        return ast::BinaryOp::Or;
      case K::AND:
        return ast::BinaryOp::And;
      case K::EQ:
        return ast::BinaryOp::Eq;
      case K::NE:
        return ast::BinaryOp::Ne;
      case K::LT:
        return ast::BinaryOp::Lt;
      case K::LE:
        return ast::BinaryOp::Le;
      case K::GT:
        return ast::BinaryOp::Gt;
      case K::GE:
        return ast::BinaryOp::Ge;
      case K::PLUS:
        return ast::BinaryOp::Add;
      case K::MINUS:
        return ast::BinaryOp::Sub;
      case K::STAR:
        return ast::BinaryOp::Mul;
      case K::SLASH:
        return ast::BinaryOp::Div;
      default:
        return ast::BinaryOp::Mod;
    }
  }

  // A literal token; BAD_LITERAL (reported by the lexer) becomes an Error node.
  ast::ExprId literal(Tok t) {
    Span s = span(t);
    std::string_view lexeme = text(t);
    using Kind = ast::DomainLit::Kind;
    auto domain = [&](Kind kind) {
      return out_.add(ast::Expr{s, ast::DomainLit{kind, std::string(lexeme)}});
    };
    std::string error;
    switch (t.kind()) {
      case K::INT:
        if (auto v = parse_int(lexeme, &error)) return out_.add(ast::Expr{s, ast::IntLit{*v}});
        return error_expr(s);
      case K::FLOAT:
        if (auto v = parse_float(lexeme, &error)) {
          return out_.add(ast::Expr{s, ast::FloatLit{*v}});
        }
        return error_expr(s);
      case K::DURATION:
        return domain(Kind::Duration);
      case K::SIZE:
        return domain(Kind::Bytes);
      case K::PERCENT:
        return domain(Kind::Percent);
      case K::VERSION:
        return domain(Kind::Version);
      case K::IPV4:
        return domain(Kind::Ip);
      case K::CIDR:
        return domain(Kind::Cidr);
      case K::TRUE_KW:
        return out_.add(ast::Expr{s, ast::BoolLit{true}});
      case K::FALSE_KW:
        return out_.add(ast::Expr{s, ast::BoolLit{false}});
      case K::NULL_KW:
        return out_.add(ast::Expr{s, ast::NullLit{}});
      case K::SELF:
        return out_.add(ast::Expr{s, ast::SelfRef{}});
      case K::STRING: {
        StringTokenText st = string_token_text(TokenKind::STRING, lexeme);
        return out_.add(ast::Expr{s, ast::StringLit{decode_string(lexeme, st.terminated).value}});
      }
      default:
        return error_expr(s);
    }
  }

  // `"text"` or `"a${x}b"`: the lexer split the latter into STRING_OPEN, the expressions,
  // STRING_MIDDLEs and STRING_CLOSE; the text between them is decoded together, for dedent.
  ast::ExprId string(P::StringExprContext* ctx) {
    Span s = span(ctx);
    if (Tok plain = tok(ctx->plain)) return literal(plain);
    Tok open = tok(ctx->open);
    if (!open) return error_expr(s);
    Tok close = tok(ctx->close);
    std::vector<Tok> delimiters{open};
    for (const antlr4::Token* m : ctx->middles) {
      if (Tok k = tok(m)) delimiters.push_back(k);
    }
    if (close) delimiters.push_back(close);
    bool triple = false;
    std::vector<std::string_view> raw;
    bool terminated = static_cast<bool>(close);
    for (size_t i = 0; i < delimiters.size(); ++i) {
      StringTokenText st = string_token_text(delimiters[i].kind(), text(delimiters[i]), triple);
      if (i == 0) triple = st.triple;
      if (close && i + 1 == delimiters.size()) terminated = st.terminated;
      raw.push_back(st.raw);
    }
    std::vector<std::string> decoded = decode_string_parts(raw, triple, terminated);
    ast::InterpolatedString node;
    node.triple = triple;
    for (size_t i = 0; i < delimiters.size(); ++i) {
      if (i < decoded.size() && !decoded[i].empty()) {
        auto begin = static_cast<uint32_t>(raw[i].data() - tokens_.text.data());
        Span text_span{file_id_, begin, begin + static_cast<uint32_t>(raw[i].size())};
        node.parts.push_back(ast::StringPart{std::move(decoded[i]), {}, text_span});
      }
      bool last = i + 1 == delimiters.size();
      if ((last && close) || i >= ctx->parts.size()) continue;
      // `${ expr }`: from the `${` that ends this delimiter to the `}` that starts the next (an
      // empty STRING_CLOSE, where the string was cut off, has no `}`).
      uint32_t from = delimiters[i].lex->end - 2;
      uint32_t to = s.end;
      if (!last) {
        const LexToken& next = *delimiters[i + 1].lex;
        to = next.begin == next.end ? next.begin : next.begin + 1;
      }
      ast::ExprId value = expr(ctx->parts[i], Span{file_id_, from + 2, from + 2});
      node.parts.push_back(ast::StringPart{{}, value, Span{file_id_, from, to}});
    }
    return out_.add(ast::Expr{s, std::move(node)});
  }

  ast::ExprId list(P::ListExprContext* ctx) {
    Span s = span(ctx);
    Span end{file_id_, s.end, s.end};
    if (ctx->head != nullptr) {
      ast::ListComp comp;
      auto first = comp_for(ctx->head);
      if (!first) return error_expr(s);
      comp.clauses.push_back(clause(std::move(*first)));
      clauses(ctx->clauses, comp.clauses);
      comp.value = expr(ctx->value, end);
      return out_.add(ast::Expr{s, std::move(comp)});
    }
    ast::ListLit node;
    for (P::ExprContext* item : ctx->items)
      node.items.push_back(expr(item, end));
    return out_.add(ast::Expr{s, std::move(node)});
  }

  // `{ ... }` in an expression: a record without a schema, or a map comprehension when it ends
  // with `: key => value`, its items then being the comprehension's clauses.
  ast::ExprId braces(P::BodyContext* ctx) {
    Span s = body_span(ctx);
    if (ctx->tail == nullptr) {
      ast::BodyId b = body(ctx, s);
      return out_.add(ast::Expr{s, ast::RecordLit{std::nullopt, b}});
    }
    Nest nest(*this, s);
    if (nest.too_deep()) return error_expr(s);
    ast::MapComp comp;
    for (P::ItemContext* item : ctx->items) {
      if (auto* f = as<P::ForItemContext>(item)) {
        if (auto loop = comp_for(f->head)) comp.clauses.push_back(clause(std::move(*loop)));
        continue;
      }
      auto* i = as<P::IfItemContext>(item);
      if (i != nullptr && i->branches.size() == 1 && i->otherwise == nullptr &&
          !comp.clauses.empty()) {
        ast::CompClause cond;
        cond.kind = ast::CompClause::Kind::If;
        cond.span = span(i->branches[0]);
        cond.expr = expr(i->branches[0]->cond, end_of(cond.span));
        comp.clauses.push_back(std::move(cond));
        continue;
      }
      if (diag::Diagnostic* d =
              report(span(item), comp.clauses.empty()
                                     ? "a map comprehension starts with `for`"
                                     : "only `for` and `if` clauses come before `:` in a map "
                                       "comprehension")) {
        d->with_label("not a clause");
      }
      return error_expr(s);
    }
    if (comp.clauses.empty()) {
      if (diag::Diagnostic* d =
              report(span(tok(ctx->tail)), "a map comprehension starts with `for`")) {
        d->with_label("`: key => value` without `for ... in ...` before it");
      }
      return error_expr(s);
    }
    comp.key = expr(ctx->mkey, end_of(s));
    comp.value = expr(ctx->mvalue, end_of(s));
    return out_.add(ast::Expr{s, std::move(comp)});
  }

  ast::ExprId resource(P::ResourceExprContext* ctx) {
    Span s = span(ctx);
    Span end{file_id_, s.end, s.end};
    auto provider = name(ctx->provider);
    auto kind = name(ctx->kind);
    auto lab = label(ctx->label, ctx->slabel);
    if (!provider || !kind || !lab) return error_expr(s);
    ast::BodyId b = body(ctx->block, end);
    return out_.add(ast::Expr{
        s, ast::ResourceExpr{std::move(*provider), std::move(*kind), std::move(*lab), b}});
  }

  TreeTokens tokens_;
  source::FileId file_id_;
  ast::File& out_;
  diag::Diagnostics& diags_;
  std::vector<P::ExprContext*> spine_;  // chains being built, innermost last
  int depth_ = 0;                       // nesting of the node being built
  // While a `for` or `if` header is built: its trailing record (the item's body), which is left
  // out, and the `}` whose nodes end at `clip_end_` instead.
  P::ExprContext* detached_ = nullptr;
  const antlr4::Token* clip_stop_ = nullptr;
  uint32_t clip_end_ = 0;
  // The declaration being built already has a diagnostic: structural errors found here would
  // only repeat it.
  bool quiet_ = false;
};

TreeToAst::TreeToAst(TreeTokens tokens, source::FileId file, ast::File& out,
                     diag::Diagnostics& diags)
    : impl_(std::make_unique<Impl>(tokens, file, out, diags)) {}

TreeToAst::~TreeToAst() = default;

void TreeToAst::declaration(DeclTree* decl, bool reported) {
  impl_->declaration(static_cast<P::DeclContext*>(static_cast<void*>(decl)), reported);
}

}  // namespace kc::syntax
