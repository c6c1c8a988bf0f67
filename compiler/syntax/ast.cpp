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

const Name* Decl::name() const {
  struct Visitor {
    const Name* operator()(const Import& d) const { return &d.binding; }
    const Name* operator()(const Let& d) const { return &d.name; }
    const Name* operator()(const Param& d) const { return &d.name; }
    const Name* operator()(const Export& d) const { return &d.name; }
    const Name* operator()(const Output& d) const { return &d.name; }
  };
  return std::visit(Visitor{}, node);
}

}  // namespace kc::ast
