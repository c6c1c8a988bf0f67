// The children of a syntax tree node, for rules that walk expressions with their own state (such
// as the scopes of shadowed-name). Rules that need no state iterate File's arenas directly.
#pragma once

#include "compiler/syntax/ast.h"

namespace kc::lint {

// Calls `on_expr(ExprId)` for each direct sub-expression of `expr`, and `on_body(BodyId)` for each
// body it holds. Binders (comprehension clauses) are not reported: callers that track scopes
// handle ListComp and MapComp themselves.
template <typename OnExpr, typename OnBody>
void expr_children(const ast::File& file, const ast::Expr& expr, OnExpr&& on_expr,
                   OnBody&& on_body) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, ast::InterpolatedString>) {
          for (const ast::StringPart& part : node.parts) {
            if (part.expr.valid()) on_expr(part.expr);
          }
        } else if constexpr (std::is_same_v<T, ast::ListLit>) {
          for (ast::ExprId item : node.items)
            on_expr(item);
        } else if constexpr (std::is_same_v<T, ast::RecordLit>) {
          on_body(node.body);
        } else if constexpr (std::is_same_v<T, ast::Paren>) {
          on_expr(node.inner);
        } else if constexpr (std::is_same_v<T, ast::Member>) {
          on_expr(node.object);
        } else if constexpr (std::is_same_v<T, ast::Index>) {
          on_expr(node.object);
          on_expr(node.index);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          on_expr(node.callee);
          for (ast::ExprId arg : node.args)
            on_expr(arg);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          on_expr(node.operand);
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          on_expr(node.lhs);
          on_expr(node.rhs);
        } else if constexpr (std::is_same_v<T, ast::IfElse>) {
          on_expr(node.condition);
          on_expr(node.then_value);
          on_expr(node.else_value);
        } else if constexpr (std::is_same_v<T, ast::ListComp>) {
          for (const ast::CompClause& clause : node.clauses)
            on_expr(clause.expr);
          on_expr(node.value);
        } else if constexpr (std::is_same_v<T, ast::MapComp>) {
          for (const ast::CompClause& clause : node.clauses)
            on_expr(clause.expr);
          on_expr(node.key);
          on_expr(node.value);
        } else if constexpr (std::is_same_v<T, ast::With>) {
          on_expr(node.object);
          on_body(node.body);
        } else if constexpr (std::is_same_v<T, ast::ResourceExpr>) {
          if (node.label.is_string()) on_expr(node.label.string);
          on_body(node.body);
        }
      },
      expr.node);
  (void)file;
}

}  // namespace kc::lint
