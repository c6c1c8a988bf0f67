// report_unchecked (unchecked.h): a walk over declarations, types, expressions and bodies that
// stops at the first construct the checker does not type yet.
#include "compiler/sema/unchecked.h"

#include <fmt/format.h>

#include "compiler/sema/limits.h"

namespace kc::sema {
namespace {

using diag::Code;

class UncheckedWalk {
 public:
  UncheckedWalk(const ast::File& file, diag::Diagnostics& diags) : file_(file), diags_(diags) {}

  void run() {
    for (const ast::Decl& decl : file_.decls)
      this->decl(decl);
  }

 private:
  void report(source::Span at, std::string_view what) {
    diags_.error(Code::E0001, at, fmt::format("{} are not checked yet", what))
        .with_label("the checker does not support this construct yet");
  }

  void decl(const ast::Decl& decl) {
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, ast::Import>) {
          } else if constexpr (std::is_same_v<T, ast::Let>) {
            if (node.type) type(*node.type);
            expr(node.value);
          } else if constexpr (std::is_same_v<T, ast::Param>) {
            type(node.type);
            if (node.default_value) expr(*node.default_value);
          } else if constexpr (std::is_same_v<T, ast::Export> || std::is_same_v<T, ast::Output>) {
            expr(node.value);
          } else if constexpr (std::is_same_v<T, ast::TypeAlias>) {
            report(node.name.span, "`type` declarations");
          } else if constexpr (std::is_same_v<T, ast::Enum>) {
            report(node.name.span, "`enum` declarations");
          } else if constexpr (std::is_same_v<T, ast::Schema>) {
            report(node.name.span, "`schema` declarations");
          } else if constexpr (std::is_same_v<T, ast::Fn>) {
            for (const ast::FnParam& param : node.params) {
              type(param.type);
              if (param.default_value) expr(*param.default_value);
            }
            if (node.result) type(*node.result);
            expr(node.body);
          } else if constexpr (std::is_same_v<T, ast::Provider>) {
            report(node.name.span, "`provider` blocks");
          } else {
            static_assert(std::is_same_v<T, ast::Backend>);
            report(node.kind.span, "`backend` blocks");
          }
        },
        decl.node);
  }

  void type(ast::TypeExprId id) {
    const ast::TypeExpr& t = file_.type(id);
    switch (t.kind) {
      case ast::TypeExpr::Kind::Error:
        return;
      case ast::TypeExpr::Kind::Named:
        if (t.name.module) report(t.span, "types from other modules");
        return;
      case ast::TypeExpr::Kind::Range:
        report(t.span, "range types");
        return;
      case ast::TypeExpr::Kind::List:
      case ast::TypeExpr::Kind::Map:
      case ast::TypeExpr::Kind::Optional:
        type(t.element);
        return;
    }
  }

  void expr(ast::ExprId id) {
    // The parser bounds nesting; this guard only keeps the walk itself safe on any tree.
    if (depth_ >= kMaxDepth) return;
    ++depth_;
    expr_uncounted(id);
    --depth_;
  }

  void expr_uncounted(ast::ExprId id) {
    const ast::Expr& e = file_.expr(id);
    switch (e.kind()) {
      case ast::ExprKind::Error:
      case ast::ExprKind::IntLit:
      case ast::ExprKind::FloatLit:
      case ast::ExprKind::StringLit:
      case ast::ExprKind::BoolLit:
      case ast::ExprKind::NullLit:
      case ast::ExprKind::DomainLit:
      case ast::ExprKind::NameRef:
        return;
      case ast::ExprKind::ListLit:
        for (ast::ExprId item : std::get<ast::ListLit>(e.node).items)
          expr(item);
        return;
      case ast::ExprKind::RecordLit: {
        const auto& record = std::get<ast::RecordLit>(e.node);
        if (record.schema) return report(e.span, "schema instances");
        return body(record.body);
      }
      case ast::ExprKind::Paren:
        return expr(std::get<ast::Paren>(e.node).inner);
      case ast::ExprKind::Member:
        return expr(std::get<ast::Member>(e.node).object);
      case ast::ExprKind::ResourceExpr: {
        const auto& resource = std::get<ast::ResourceExpr>(e.node);
        if (!ast::static_label(file_, resource.label)) {
          return report(resource.label.span, "interpolated resource labels");
        }
        return body(resource.body);
      }
      case ast::ExprKind::InterpolatedString:
        for (const ast::StringPart& part : std::get<ast::InterpolatedString>(e.node).parts) {
          if (part.expr.valid()) expr(part.expr);
        }
        return;
      case ast::ExprKind::SelfRef:
        return report(e.span, "`self` references");
      case ast::ExprKind::Index: {
        const auto& index = std::get<ast::Index>(e.node);
        expr(index.object);
        return expr(index.index);
      }
      case ast::ExprKind::Call: {
        const auto& call = std::get<ast::Call>(e.node);
        const auto* callee = std::get_if<ast::NameRef>(&file_.expr(call.callee).node);
        // Calls of names (functions, built-ins, mistakes) are the checker's.
        if (callee == nullptr) return report(e.span, "calls of module functions");
        for (ast::ExprId arg : call.args)
          expr(arg);
        return;
      }
      case ast::ExprKind::Unary:
        return expr(std::get<ast::Unary>(e.node).operand);
      case ast::ExprKind::Binary: {
        const auto& binary = std::get<ast::Binary>(e.node);
        expr(binary.lhs);
        return expr(binary.rhs);
      }
      case ast::ExprKind::IfElse: {
        const auto& if_else = std::get<ast::IfElse>(e.node);
        expr(if_else.condition);
        expr(if_else.then_value);
        return expr(if_else.else_value);
      }
      case ast::ExprKind::ListComp: {
        const auto& comp = std::get<ast::ListComp>(e.node);
        for (const ast::CompClause& clause : comp.clauses)
          expr(clause.expr);
        return expr(comp.value);
      }
      case ast::ExprKind::MapComp: {
        const auto& comp = std::get<ast::MapComp>(e.node);
        for (const ast::CompClause& clause : comp.clauses)
          expr(clause.expr);
        expr(comp.key);
        return expr(comp.value);
      }
      case ast::ExprKind::With: {
        const auto& with = std::get<ast::With>(e.node);
        expr(with.object);
        return body(with.body);
      }
    }
  }

  void body(ast::BodyId id) {
    for (const ast::BodyItem& item : file_.body(id).items) {
      std::visit(
          [&](const auto& node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, ast::FieldAssign>) {
              if (!ast::static_label(file_, node.key)) {
                report(node.key.span, "interpolated keys");
              } else {
                expr(node.value);
              }
            } else if constexpr (std::is_same_v<T, ast::LabelledBlock>) {
              report(item.span, "labelled blocks");
            } else if constexpr (std::is_same_v<T, ast::ForItem>) {
              report(item.span, "`for` generators");
            } else if constexpr (std::is_same_v<T, ast::IfItem>) {
              report(item.span, "`if` generators");
            } else {
              static_assert(std::is_same_v<T, ast::ResourceItem>);
              report(item.span, "resources inside bodies");
            }
          },
          item.node);
    }
  }

  const ast::File& file_;
  diag::Diagnostics& diags_;
  int depth_ = 0;
};

}  // namespace

void report_unchecked(const ast::File& file, diag::Diagnostics& diags) {
  UncheckedWalk(file, diags).run();
}

}  // namespace kc::sema
