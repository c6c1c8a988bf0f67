// The syntax tree of one source file (LANGUAGE.md sections 1-7). Nodes live in arenas owned by
// ast::File and refer to each other by id; every node has a byte-offset span. Comments are kept
// (doc comments are also attached to their declaration, schema field, enum member or body item)
// so the formatter and the language server can use them. No parser type appears.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// An identifier as written, with its span. Keywords used as field names are Names too.
struct Name {
  std::string text;
  Span span;
};

// `Name` or `module.Name`: how a schema, enum or alias is referred to in types and records.
struct QualifiedName {
  std::optional<Name> module;
  Name name;
  Span span;
};

// A block or resource label, or a key in a body: an identifier (`workers`, `replicas`) or a string
// (`"tier"`, `"pool-${i}"`). For a string, `string` is a StringLit or InterpolatedString.
struct Label {
  Span span;
  std::optional<Name> ident;
  ExprId string;
  bool is_string() const { return !ident.has_value(); }
};

// ---- Expressions ----

struct Error {};  // stands in where a syntax error left no expression
struct IntLit {
  int64_t value = 0;
};
struct FloatLit {
  double value = 0;
};
// A string literal without interpolation (single-line or triple-quoted). `value` has escapes
// decoded and, for triple-quoted strings, the common indentation removed.
struct StringLit {
  std::string value;
};
// `"a${x}b"`: literal text and interpolated expressions in source order. A text part has `expr`
// invalid and `text` decoded; an interpolation has `expr` set. Adjacent text never repeats.
struct StringPart {
  std::string text;
  ExprId expr;
  Span span;  // the text, or `${...}` with its delimiters
};
struct InterpolatedString {
  std::vector<StringPart> parts;
  bool triple = false;
};
struct BoolLit {
  bool value = false;
};
struct NullLit {};
// duration, bytes, percent, version, ip, cidr: the lexeme, already validated by the lexer.
struct DomainLit {
  enum class Kind : uint8_t { Duration, Bytes, Percent, Version, Ip, Cidr };
  Kind kind = Kind::Duration;
  std::string text;
};
struct ListLit {
  std::vector<ExprId> items;
};
// `{ ... }` or `Schema { ... }` / `mod.Schema { ... }`.
struct RecordLit {
  std::optional<QualifiedName> schema;
  BodyId body;
};
struct NameRef {
  Name name;
};
struct SelfRef {};
// `( expr )`: kept so the formatter can print what the author wrote; has the inner value.
struct Paren {
  ExprId inner;
};
struct Member {
  ExprId object;
  Name member;
};
struct Index {
  ExprId object;
  ExprId index;
};
struct Call {
  ExprId callee;
  std::vector<ExprId> args;
};

enum class UnaryOp : uint8_t { Neg, Not };
struct Unary {
  UnaryOp op = UnaryOp::Neg;
  ExprId operand;
  Span op_span;
};

// In precedence order, lowest first (LANGUAGE.md section 6). `??` is right-associative; the others
// associate to the left.
enum class BinaryOp : uint8_t {
  Coalesce,  // ??
  Or,        // ||
  And,       // &&
  Eq,        // ==
  Ne,        // !=
  Lt,        // <
  Le,        // <=
  Gt,        // >
  Ge,        // >=
  Add,       // +
  Sub,       // -
  Mul,       // *
  Div,       // /
  Mod,       // %
};
// `??`, `||`, ... as written in source.
std::string_view spelling(BinaryOp op);

struct Binary {
  BinaryOp op = BinaryOp::Add;
  ExprId lhs;
  ExprId rhs;
  Span op_span;
};

// `if c then a else b`
struct IfElse {
  ExprId condition;
  ExprId then_value;
  ExprId else_value;
};

// One clause of a comprehension: `for x in xs`, `for k, v in m`, or `if cond`.
struct CompClause {
  enum class Kind : uint8_t { For, If };
  Kind kind = Kind::For;
  std::optional<Name> key;  // For: the first of two names (`k` in `for k, v in m`)
  Name value;               // For: the element (or value) name
  ExprId expr;              // For: the iterable; If: the condition
  Span span;
};
// `[for x in xs if p(x): f(x)]`
struct ListComp {
  std::vector<CompClause> clauses;
  ExprId value;
};
// `{for k, v in m: k => f(v)}`
struct MapComp {
  std::vector<CompClause> clauses;
  ExprId key;
  ExprId value;
};

// `a with { field = value }`
struct With {
  ExprId object;
  BodyId body;
};

// `resource provider.kind label { ... }`
struct ResourceExpr {
  Name provider;
  Name kind;
  Label label;
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
  std::variant<Error, IntLit, FloatLit, StringLit, InterpolatedString, BoolLit, NullLit, DomainLit,
               ListLit, RecordLit, NameRef, SelfRef, Paren, Member, Index, Call, Unary, Binary,
               IfElse, ListComp, MapComp, With, ResourceExpr>
      node;
  ExprKind kind() const { return static_cast<ExprKind>(node.index()); }
};

// ---- Types as written ----

// `int`, `net.Cidr`, `[T]`, `{string: T}`, `T?`, `int(1..65535)`, `bytes(1Gi..)`.
struct TypeExpr {
  enum class Kind : uint8_t { Error, Named, List, Map, Optional, Range };
  Kind kind = Kind::Error;
  Span span;
  QualifiedName name;  // Named, and Range: the refined type (`int` in `int(1..10)`)
  TypeExprId element;  // List: element; Map: value type; Optional: inner
  // Range: bounds as written; either may be missing (`..50%`, `1Gi..`). Each bound is a literal,
  // possibly negated.
  std::optional<ExprId> low;
  std::optional<ExprId> high;
};

// ---- Bodies (LANGUAGE.md section 5) ----

struct Body;

// `field = expr` or `"key" = expr`; or the block form `field { ... }`, whose value is then a
// RecordLit spanning the braces.
struct FieldAssign {
  Label key;
  ExprId value;
  bool block_form = false;
};
// `field label { ... }`: adds entry `label` to map field `field`.
struct LabelledBlock {
  Name field;
  Label label;
  BodyId body;
};
// `for x in xs { ... }`, `for k, v in m { ... }`
struct ForItem {
  std::optional<Name> key;
  Name value;
  ExprId iterable;
  BodyId body;
};
// `if a { ... } else if b { ... } else { ... }`: branches in order, then the optional else body.
struct IfBranch {
  ExprId condition;
  BodyId body;
  Span span;  // from `if` to the body's `}`
};
struct IfItem {
  std::vector<IfBranch> branches;
  std::optional<BodyId> else_body;
};
// `resource TYPE label { ... }` inside a body; `resource` is a ResourceExpr.
struct ResourceItem {
  ExprId resource;
};

struct BodyItem {
  Span span;
  std::string doc;  // `##` lines right above the item
  std::variant<FieldAssign, LabelledBlock, ForItem, IfItem, ResourceItem> node;
};

struct Body {
  Span span;  // from `{` to `}`
  std::vector<BodyItem> items;
};

// ---- Declarations ----

// `condition : "message"`, one line of a `check { }` block (in type aliases and schemas).
struct CheckLine {
  ExprId condition;
  ExprId message;
  Span span;
};
struct CheckBlock {
  Span span;  // from `check` to `}`
  std::vector<CheckLine> lines;
};

// `@key`, `@secret`, `@deprecated("why")`.
struct Annotation {
  Name name;  // without the `@`
  std::vector<ExprId> args;
  Span span;  // from `@` to the end (the `)` when there are arguments)
};

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
// `type Port = int(1..65535)`, optionally with `check { ... }`.
struct TypeAlias {
  Name name;
  TypeExprId type;
  std::optional<CheckBlock> check;
};
struct EnumMember {
  Name name;
  std::string doc;
};
struct Enum {
  Name name;
  std::vector<EnumMember> members;
};
// A field declaration in a schema: `@key name: Type = default`.
struct FieldDecl {
  std::vector<Annotation> annotations;
  Name name;
  TypeExprId type;
  std::optional<ExprId> default_value;
};
struct SchemaItem {
  Span span;
  std::string doc;
  std::variant<FieldDecl, Let, CheckBlock> node;
};
struct Schema {
  Name name;
  std::optional<QualifiedName> parent;  // `extends Parent`
  std::vector<SchemaItem> items;
  Span body_span;  // from `{` to `}`
};
struct FnParam {
  Name name;
  TypeExprId type;
  std::optional<ExprId> default_value;
  Span span;
};
// `fn name(a: T, b: U = d) -> R = expr`
struct Fn {
  Name name;
  std::vector<FnParam> params;
  std::optional<TypeExprId> result;
  ExprId body;
};
// `provider NAME [alias] { config }`
struct Provider {
  Name name;
  std::optional<Name> alias;
  BodyId body;
};
// `backend KIND { config }`
struct Backend {
  Name kind;
  BodyId body;
};

struct Decl {
  Span span;
  std::string doc;  // text of the `##` comments right before it, `##` and one space stripped
  std::variant<Import, Let, Param, Export, Output, TypeAlias, Enum, Schema, Fn, Provider, Backend>
      node;

  // The declared name (the binding name for imports; the alias or name for providers; the kind
  // for backends).
  const Name* name() const;
};

struct Comment {
  Span span;  // from `#` to the end of the line, line break excluded
  bool doc = false;
  // Code precedes it on its line (`x = 1  # why`); otherwise it is alone on its line.
  bool trailing = false;
};

// One parsed file: its declarations in source order and the arenas they refer to.
struct File {
  source::FileId file = source::kNoFile;
  std::vector<Decl> decls;
  std::vector<Comment> comments;  // every comment, in source order

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

// The text of a label or key that is known without evaluation: an identifier, or a string
// without interpolation (its decoded value, spanning the string). nullopt for interpolated ones.
std::optional<Name> static_label(const File& file, const Label& label);

}  // namespace kc::ast
