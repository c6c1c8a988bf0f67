// Arena insertion and small accessors of the syntax tree (ast.h).
#include "compiler/syntax/ast.h"

namespace kc::ast {

ExprId File::add(Expr expr) {
  exprs.push_back(std::move(expr));
  return ExprId{static_cast<uint32_t>(exprs.size() - 1)};
}

TypeExprId File::add(TypeExpr type) {
  types.push_back(std::move(type));
  return TypeExprId{static_cast<uint32_t>(types.size() - 1)};
}

BodyId File::add(Body body) {
  bodies.push_back(std::move(body));
  return BodyId{static_cast<uint32_t>(bodies.size() - 1)};
}

std::string_view spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Coalesce:
      return "??";
    case BinaryOp::Or:
      return "||";
    case BinaryOp::And:
      return "&&";
    case BinaryOp::Eq:
      return "==";
    case BinaryOp::Ne:
      return "!=";
    case BinaryOp::Lt:
      return "<";
    case BinaryOp::Le:
      return "<=";
    case BinaryOp::Gt:
      return ">";
    case BinaryOp::Ge:
      return ">=";
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Mod:
      return "%";
  }
  return "?";
}

std::optional<Name> static_label(const File& file, const Label& label) {
  if (label.ident) return label.ident;
  if (!label.string.valid()) return std::nullopt;
  const Expr& expr = file.expr(label.string);
  if (const auto* string = std::get_if<StringLit>(&expr.node)) {
    return Name{string->value, label.span};
  }
  return std::nullopt;
}

const Name* Decl::name() const {
  struct Visitor {
    const Name* operator()(const Import& d) const { return &d.binding; }
    const Name* operator()(const Let& d) const { return &d.name; }
    const Name* operator()(const Param& d) const { return &d.name; }
    const Name* operator()(const Export& d) const { return &d.name; }
    const Name* operator()(const Output& d) const { return &d.name; }
    const Name* operator()(const TypeAlias& d) const { return &d.name; }
    const Name* operator()(const Enum& d) const { return &d.name; }
    const Name* operator()(const Schema& d) const { return &d.name; }
    const Name* operator()(const Fn& d) const { return &d.name; }
    const Name* operator()(const Provider& d) const { return d.alias ? &*d.alias : &d.name; }
    const Name* operator()(const Backend& d) const { return &d.kind; }
  };
  return std::visit(Visitor{}, node);
}

}  // namespace kc::ast
