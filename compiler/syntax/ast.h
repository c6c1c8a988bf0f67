// The syntax tree of one source file. Nodes live in arenas owned by ast::File and refer to each
// other by id; every node has a byte-offset span. Comments are kept (doc comments are also attached
// to their declaration) so the formatter and the language server can use them. No parser type
// appears.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/source/source.h"

namespace kc::ast {

using source::Span;

// A typed index into one of File's arenas.
template <typename Tag>
struct Id {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
  friend bool operator==(Id, Id) = default;
};
using ExprId = Id<struct ExprTag>;
using TypeExprId = Id<struct TypeExprTag>;
using BodyId = Id<struct BodyTag>;

// An identifier as written, with its span.
struct Name {
  std::string text;
  Span span;
};

// ---- Expressions ----
struct Error {};  // stands in where a syntax error left no expression
struct IntLit {
  int64_t value = 0;
};
struct FloatLit {
  double value = 0;
};
// A string literal; interpolation parts come with the full front end. `value` has escapes decoded.
struct StringLit {
  std::string value;
};
struct BoolLit {
  bool value = false;
};
struct NullLit {};
// duration, bytes, percent, version, ip, cidr: the lexeme, already validated by the parser.
struct DomainLit {
  enum class Kind : uint8_t { Duration, Bytes, Percent, Version, Ip, Cidr };
  Kind kind = Kind::Duration;
  std::string text;
};
struct ListLit {
  std::vector<ExprId> items;
};
// `{ ... }` or `Schema { ... }`.
struct RecordLit {
  std::optional<Name> schema;
  BodyId body;
};
struct NameRef {
  Name name;
};
struct Member {
  ExprId object;
  Name member;
};
// `resource provider.kind label { ... }`. The label is an identifier or a plain string.
struct ResourceExpr {
  Name provider;
  Name kind;
  Name label;  // text without quotes
  BodyId body;
};

enum class ExprKind : uint8_t {
#define KC_EXPR_KIND(name) name,
#include "compiler/syntax/expr_kinds.def"
#undef KC_EXPR_KIND
};

struct Expr {
  Span span;
  // Alternatives in the order of expr_kinds.def, so kind() and the variant index agree.
  std::variant<Error, IntLit, FloatLit, StringLit, BoolLit, NullLit, DomainLit, ListLit, RecordLit,
               NameRef, Member, ResourceExpr>
      node;
  ExprKind kind() const { return static_cast<ExprKind>(node.index()); }
};

// ---- Types as written ----
struct TypeExpr {
  enum class Kind : uint8_t { Error, Named, List, Map, Optional };
  Kind kind = Kind::Error;
  Span span;
  Name name;           // Named: `int`, `MachineSize`
  TypeExprId element;  // List: element; Map: value type; Optional: inner
};

// ---- Bodies ----
// `field = expr`, or the block form `field { ... }` (value is then a RecordLit).
struct FieldAssign {
  Name field;
  ExprId value;
  bool block_form = false;
  Span span;
};
struct Body {
  Span span;  // from `{` to `}`
  std::vector<FieldAssign> items;
};

// ---- Declarations ----
struct Import {
  std::string path;  // as written, without quotes
  Span path_span;
  std::optional<Name> alias;
  // The name the import binds: the alias, else the path's last segment without `.kcl` (spanning
  // the path). Decl::name() returns it.
  Name binding;
};
struct Let {
  Name name;
  std::optional<TypeExprId> type;
  ExprId value;
};
struct Param {
  Name name;
  TypeExprId type;
  std::optional<ExprId> default_value;
};
struct Export {  // `name = expr` at the top level
  Name name;
  ExprId value;
};
struct Output {
  Name name;
  ExprId value;
};

struct Decl {
  Span span;
  std::string doc;  // text of the `##` comments right before it, `##` and one space stripped
  std::variant<Import, Let, Param, Export, Output> node;

  // The declared name (the binding name for imports).
  const Name* name() const;
};

struct Comment {
  Span span;  // from `#` to the end of the line
  bool doc = false;
};

// One parsed file: its declarations in source order and the arenas they refer to.
struct File {
  source::FileId file = source::kNoFile;
  std::vector<Decl> decls;
  std::vector<Comment> comments;

  std::vector<Expr> exprs;
  std::vector<TypeExpr> types;
  std::vector<Body> bodies;

  const Expr& expr(ExprId id) const { return exprs[id.index]; }
  const TypeExpr& type(TypeExprId id) const { return types[id.index]; }
  const Body& body(BodyId id) const { return bodies[id.index]; }

  ExprId add(Expr expr);
  TypeExprId add(TypeExpr type);
  BodyId add(Body body);
};

}  // namespace kc::ast
