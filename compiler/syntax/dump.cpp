// syntax::dump: the tree as indented text, one node per line with its kind, its fields and (unless
// turned off) the line:column of its start (`kc check --dump=ast`, golden tests, the formatter's
// safety check). Every field of the AST is shown except spans and the non-doc comments, which are
// trivia. Output is deterministic. Recursion follows the tree, which the parser keeps within
// kMaxNesting levels.
#include <fmt/format.h>

#include <charconv>

#include "compiler/syntax/parse.h"
#include "providers/sdk/value.h"

namespace kc::syntax {

namespace {

std::string format_double(double value) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string_view domain_kind(ast::DomainLit::Kind kind) {
  switch (kind) {
    case ast::DomainLit::Kind::Duration:
      return "duration";
    case ast::DomainLit::Kind::Bytes:
      return "bytes";
    case ast::DomainLit::Kind::Percent:
      return "percent";
    case ast::DomainLit::Kind::Version:
      return "version";
    case ast::DomainLit::Kind::Ip:
      return "ip";
    case ast::DomainLit::Kind::Cidr:
      return "cidr";
  }
  return "?";
}

std::string qualified(const ast::QualifiedName& q) {
  return q.module ? q.module->text + "." + q.name.text : q.name.text;
}

class Dumper {
 public:
  Dumper(const ast::File& file, const source::SourceManager& sources, const DumpOptions& options)
      : file_(file), sources_(sources), options_(options) {}

  std::string run() {
    for (const ast::Decl& decl : file_.decls)
      this->decl(decl);
    return std::move(out_);
  }

 private:
  void line(int indent, std::string_view text, source::Span at) {
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    if (options_.positions && at.valid() && at.file < sources_.size()) {
      source::LineCol lc = sources_.file(at.file).line_col(at.begin);
      out_ += fmt::format(" @{}:{}", lc.line, lc.column);
    }
    out_ += '\n';
  }

  void doc(const std::string& text, int indent) {
    if (!text.empty()) line(indent, "Doc " + sdk::quote_string(text), {});
  }

  // ---- Declarations ----

  void decl(const ast::Decl& decl) {
    std::visit([&](const auto& node) { this->decl_node(decl, node); }, decl.node);
  }

  void decl_node(const ast::Decl& d, const ast::Import& n) {
    std::string text = "Import " + sdk::quote_string(n.path);
    if (n.alias) text += " as " + n.alias->text;
    line(0, text, d.span);
    doc(d.doc, 1);
  }
  void decl_node(const ast::Decl& d, const ast::Let& n) {
    line(0, "Let " + n.name.text, d.span);
    doc(d.doc, 1);
    let_body(n, 1);
  }
  void decl_node(const ast::Decl& d, const ast::Param& n) {
    line(0, "Param " + n.name.text, d.span);
    doc(d.doc, 1);
    type(n.type, 1);
    if (n.default_value) expr(*n.default_value, 1);
  }
  void decl_node(const ast::Decl& d, const ast::Export& n) {
    line(0, "Export " + n.name.text, d.span);
    doc(d.doc, 1);
    expr(n.value, 1);
  }
  void decl_node(const ast::Decl& d, const ast::Output& n) {
    line(0, "Output " + n.name.text, d.span);
    doc(d.doc, 1);
    expr(n.value, 1);
  }
  void decl_node(const ast::Decl& d, const ast::TypeAlias& n) {
    line(0, "TypeAlias " + n.name.text, d.span);
    doc(d.doc, 1);
    type(n.type, 1);
    if (n.check) check(*n.check, 1);
  }
  void decl_node(const ast::Decl& d, const ast::Enum& n) {
    line(0, "Enum " + n.name.text, d.span);
    doc(d.doc, 1);
    for (const ast::EnumMember& m : n.members) {
      line(1, "Member " + m.name.text, m.name.span);
      doc(m.doc, 2);
    }
  }
  void decl_node(const ast::Decl& d, const ast::Schema& n) {
    std::string text = "Schema " + n.name.text;
    if (n.parent) text += " extends " + qualified(*n.parent);
    line(0, text, d.span);
    doc(d.doc, 1);
    for (const ast::SchemaItem& item : n.items) {
      if (const auto* f = std::get_if<ast::FieldDecl>(&item.node)) {
        line(1, "Field " + f->name.text, item.span);
        doc(item.doc, 2);
        for (const ast::Annotation& a : f->annotations) {
          line(2, "Annotation " + a.name.text, a.span);
          for (ast::ExprId arg : a.args)
            expr(arg, 3);
        }
        type(f->type, 2);
        if (f->default_value) expr(*f->default_value, 2);
      } else if (const auto* l = std::get_if<ast::Let>(&item.node)) {
        line(1, "Let " + l->name.text, item.span);
        doc(item.doc, 2);
        let_body(*l, 2);
      } else if (const auto* c = std::get_if<ast::CheckBlock>(&item.node)) {
        check(*c, 1);
        doc(item.doc, 2);
      }
    }
  }
  void decl_node(const ast::Decl& d, const ast::Fn& n) {
    line(0, "Fn " + n.name.text, d.span);
    doc(d.doc, 1);
    for (const ast::FnParam& p : n.params) {
      line(1, "FnParam " + p.name.text, p.span);
      type(p.type, 2);
      if (p.default_value) expr(*p.default_value, 2);
    }
    if (n.result) {
      line(1, "Returns", {});
      type(*n.result, 2);
    }
    expr(n.body, 1);
  }
  void decl_node(const ast::Decl& d, const ast::Provider& n) {
    line(0, "Provider " + n.name.text + (n.alias ? " " + n.alias->text : ""), d.span);
    doc(d.doc, 1);
    body(n.body, 1);
  }
  void decl_node(const ast::Decl& d, const ast::Backend& n) {
    line(0, "Backend " + n.kind.text, d.span);
    doc(d.doc, 1);
    body(n.body, 1);
  }

  void let_body(const ast::Let& n, int indent) {
    if (n.type) type(*n.type, indent);
    expr(n.value, indent);
  }

  void check(const ast::CheckBlock& c, int indent) {
    line(indent, "Check", c.span);
    for (const ast::CheckLine& l : c.lines) {
      line(indent + 1, "CheckLine", l.span);
      expr(l.condition, indent + 2);
      expr(l.message, indent + 2);
    }
  }

  // ---- Types ----

  void type(ast::TypeExprId id, int indent) {
    const ast::TypeExpr& t = file_.type(id);
    switch (t.kind) {
      case ast::TypeExpr::Kind::Error:
        line(indent, "ErrorType", t.span);
        return;
      case ast::TypeExpr::Kind::Named:
        line(indent, "NamedType " + qualified(t.name), t.span);
        return;
      case ast::TypeExpr::Kind::Range:
        line(indent, "RangeType " + qualified(t.name), t.span);
        if (t.low) {
          line(indent + 1, "Low", {});
          expr(*t.low, indent + 2);
        }
        if (t.high) {
          line(indent + 1, "High", {});
          expr(*t.high, indent + 2);
        }
        return;
      case ast::TypeExpr::Kind::List:
        line(indent, "ListType", t.span);
        break;
      case ast::TypeExpr::Kind::Map:
        line(indent, "MapType", t.span);
        break;
      case ast::TypeExpr::Kind::Optional:
        line(indent, "OptionalType", t.span);
        break;
    }
    if (t.element.valid()) type(t.element, indent + 1);
  }

  // ---- Bodies ----

  // A label inline: `name`, `"text"`; an interpolated label shows as `<interpolated>` and its
  // string is dumped as the first child (`child` is set).
  std::string label(const ast::Label& l, ast::ExprId* child) const {
    if (l.ident) return l.ident->text;
    const ast::Expr& e = file_.expr(l.string);
    if (const auto* s = std::get_if<ast::StringLit>(&e.node)) return sdk::quote_string(s->value);
    *child = l.string;
    return "<interpolated>";
  }

  void body(ast::BodyId id, int indent) {
    for (const ast::BodyItem& item : file_.body(id).items)
      body_item(item, indent);
  }

  void body_item(const ast::BodyItem& item, int indent) {
    ast::ExprId label_expr;
    if (const auto* f = std::get_if<ast::FieldAssign>(&item.node)) {
      std::string text = "Field " + label(f->key, &label_expr);
      if (f->block_form) text += " block";
      line(indent, text, item.span);
      doc(item.doc, indent + 1);
      if (label_expr.valid()) expr(label_expr, indent + 1);
      expr(f->value, indent + 1);
    } else if (const auto* b = std::get_if<ast::LabelledBlock>(&item.node)) {
      line(indent, "Block " + b->field.text + " " + label(b->label, &label_expr), item.span);
      doc(item.doc, indent + 1);
      if (label_expr.valid()) expr(label_expr, indent + 1);
      body(b->body, indent + 1);
    } else if (const auto* loop = std::get_if<ast::ForItem>(&item.node)) {
      line(indent, "For " + loop_names(loop->key, loop->value), item.span);
      doc(item.doc, indent + 1);
      expr(loop->iterable, indent + 1);
      body(loop->body, indent + 1);
    } else if (const auto* i = std::get_if<ast::IfItem>(&item.node)) {
      line(indent, "If", item.span);
      doc(item.doc, indent + 1);
      for (const ast::IfBranch& branch : i->branches) {
        line(indent + 1, "Branch", branch.span);
        expr(branch.condition, indent + 2);
        body(branch.body, indent + 2);
      }
      if (i->else_body) {
        line(indent + 1, "Else", file_.body(*i->else_body).span);
        body(*i->else_body, indent + 2);
      }
    } else if (const auto* r = std::get_if<ast::ResourceItem>(&item.node)) {
      line(indent, "ResourceItem", item.span);
      doc(item.doc, indent + 1);
      expr(r->resource, indent + 1);
    }
  }

  static std::string loop_names(const std::optional<ast::Name>& key, const ast::Name& value) {
    return key ? key->text + ", " + value.text : value.text;
  }

  void clauses(const std::vector<ast::CompClause>& clauses, int indent) {
    for (const ast::CompClause& c : clauses) {
      if (c.kind == ast::CompClause::Kind::For) {
        line(indent, "For " + loop_names(c.key, c.value), c.span);
      } else {
        line(indent, "If", c.span);
      }
      expr(c.expr, indent + 1);
    }
  }

  // ---- Expressions ----

  void expr(ast::ExprId id, int indent) {
    const ast::Expr& e = file_.expr(id);
    std::visit([&](const auto& node) { expr_node(e, node, indent); }, e.node);
  }

  void expr_node(const ast::Expr& e, const ast::Error&, int indent) {
    line(indent, "Error", e.span);
  }
  void expr_node(const ast::Expr& e, const ast::IntLit& n, int indent) {
    line(indent, fmt::format("IntLit {}", n.value), e.span);
  }
  void expr_node(const ast::Expr& e, const ast::FloatLit& n, int indent) {
    line(indent, "FloatLit " + format_double(n.value), e.span);
  }
  void expr_node(const ast::Expr& e, const ast::StringLit& n, int indent) {
    line(indent, "StringLit " + sdk::quote_string(n.value), e.span);
  }
  void expr_node(const ast::Expr& e, const ast::InterpolatedString& n, int indent) {
    line(indent, n.triple ? "InterpolatedString triple" : "InterpolatedString", e.span);
    for (const ast::StringPart& part : n.parts) {
      if (part.expr.valid()) {
        line(indent + 1, "Interpolation", part.span);
        expr(part.expr, indent + 2);
      } else {
        line(indent + 1, "Text " + sdk::quote_string(part.text), part.span);
      }
    }
  }
  void expr_node(const ast::Expr& e, const ast::BoolLit& n, int indent) {
    line(indent, n.value ? "BoolLit true" : "BoolLit false", e.span);
  }
  void expr_node(const ast::Expr& e, const ast::NullLit&, int indent) {
    line(indent, "NullLit", e.span);
  }
  void expr_node(const ast::Expr& e, const ast::DomainLit& n, int indent) {
    line(indent, fmt::format("DomainLit {} {}", domain_kind(n.kind), n.text), e.span);
  }
  void expr_node(const ast::Expr& e, const ast::ListLit& n, int indent) {
    line(indent, "ListLit", e.span);
    for (ast::ExprId item : n.items)
      expr(item, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::RecordLit& n, int indent) {
    line(indent, n.schema ? "RecordLit " + qualified(*n.schema) : "RecordLit", e.span);
    body(n.body, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::NameRef& n, int indent) {
    line(indent, "NameRef " + n.name.text, e.span);
  }
  void expr_node(const ast::Expr& e, const ast::SelfRef&, int indent) {
    line(indent, "SelfRef", e.span);
  }
  void expr_node(const ast::Expr& e, const ast::Paren& n, int indent) {
    line(indent, "Paren", e.span);
    expr(n.inner, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::Member& n, int indent) {
    line(indent, "Member " + n.member.text, e.span);
    expr(n.object, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::Index& n, int indent) {
    line(indent, "Index", e.span);
    expr(n.object, indent + 1);
    expr(n.index, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::Call& n, int indent) {
    line(indent, "Call", e.span);
    expr(n.callee, indent + 1);
    for (ast::ExprId arg : n.args)
      expr(arg, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::Unary& n, int indent) {
    line(indent, n.op == ast::UnaryOp::Neg ? "Unary -" : "Unary !", e.span);
    expr(n.operand, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::Binary& n, int indent) {
    line(indent, fmt::format("Binary {}", ast::spelling(n.op)), e.span);
    expr(n.lhs, indent + 1);
    expr(n.rhs, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::IfElse& n, int indent) {
    line(indent, "IfElse", e.span);
    expr(n.condition, indent + 1);
    expr(n.then_value, indent + 1);
    expr(n.else_value, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::ListComp& n, int indent) {
    line(indent, "ListComp", e.span);
    clauses(n.clauses, indent + 1);
    expr(n.value, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::MapComp& n, int indent) {
    line(indent, "MapComp", e.span);
    clauses(n.clauses, indent + 1);
    expr(n.key, indent + 1);
    expr(n.value, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::With& n, int indent) {
    line(indent, "With", e.span);
    expr(n.object, indent + 1);
    body(n.body, indent + 1);
  }
  void expr_node(const ast::Expr& e, const ast::ResourceExpr& n, int indent) {
    ast::ExprId label_expr;
    std::string text =
        fmt::format("Resource {}.{} {}", n.provider.text, n.kind.text, label(n.label, &label_expr));
    line(indent, text, e.span);
    if (label_expr.valid()) expr(label_expr, indent + 1);
    body(n.body, indent + 1);
  }

  const ast::File& file_;
  const source::SourceManager& sources_;
  const DumpOptions& options_;
  std::string out_;
};

}  // namespace

std::string dump(const ast::File& file, const source::SourceManager& sources,
                 const DumpOptions& options) {
  return Dumper(file, sources, options).run();
}

}  // namespace kc::syntax
