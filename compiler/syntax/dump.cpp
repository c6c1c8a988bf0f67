// syntax::dump: the tree as indented text, one node per line with its kind, key fields and the
// line:column of its start (`kc check --dump=ast`, golden tests). Output is deterministic.
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

class Dumper {
 public:
  Dumper(const ast::File& file, const source::SourceManager& sources)
      : file_(file), sources_(sources) {}

  std::string run() {
    for (const ast::Decl& decl : file_.decls)
      this->decl(decl);
    return std::move(out_);
  }

 private:
  void line(int indent, std::string_view text, source::Span at) {
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    if (at.valid() && at.file < sources_.size()) {
      source::LineCol lc = sources_.file(at.file).line_col(at.begin);
      out_ += fmt::format(" @{}:{}", lc.line, lc.column);
    }
    out_ += '\n';
  }

  void decl(const ast::Decl& decl) {
    auto doc = [&] {
      if (!decl.doc.empty()) line(1, "Doc " + sdk::quote_string(decl.doc), {});
    };
    if (const auto* import = std::get_if<ast::Import>(&decl.node)) {
      std::string text = "Import " + sdk::quote_string(import->path);
      if (import->alias) text += " as " + import->alias->text;
      line(0, text, decl.span);
      doc();
    } else if (const auto* let = std::get_if<ast::Let>(&decl.node)) {
      line(0, "Let " + let->name.text, decl.span);
      doc();
      if (let->type) type(*let->type, 1);
      expr(let->value, 1);
    } else if (const auto* param = std::get_if<ast::Param>(&decl.node)) {
      line(0, "Param " + param->name.text, decl.span);
      doc();
      type(param->type, 1);
      if (param->default_value) expr(*param->default_value, 1);
    } else if (const auto* exported = std::get_if<ast::Export>(&decl.node)) {
      line(0, "Export " + exported->name.text, decl.span);
      doc();
      expr(exported->value, 1);
    } else if (const auto* output = std::get_if<ast::Output>(&decl.node)) {
      line(0, "Output " + output->name.text, decl.span);
      doc();
      expr(output->value, 1);
    }
  }

  void type(ast::TypeExprId id, int indent) {
    const ast::TypeExpr& t = file_.type(id);
    switch (t.kind) {
      case ast::TypeExpr::Kind::Error:
        line(indent, "ErrorType", t.span);
        return;
      case ast::TypeExpr::Kind::Named:
        line(indent, "NamedType " + t.name.text, t.span);
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

  void body(ast::BodyId id, int indent) {
    for (const ast::FieldAssign& item : file_.body(id).items) {
      line(indent, fmt::format("Field {}{}", item.field.text, item.block_form ? " block" : ""),
           item.span);
      expr(item.value, indent + 1);
    }
  }

  void expr(ast::ExprId id, int indent) {
    const ast::Expr& e = file_.expr(id);
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, ast::Error>) {
            line(indent, "Error", e.span);
          } else if constexpr (std::is_same_v<T, ast::IntLit>) {
            line(indent, fmt::format("IntLit {}", node.value), e.span);
          } else if constexpr (std::is_same_v<T, ast::FloatLit>) {
            line(indent, "FloatLit " + format_double(node.value), e.span);
          } else if constexpr (std::is_same_v<T, ast::StringLit>) {
            line(indent, "StringLit " + sdk::quote_string(node.value), e.span);
          } else if constexpr (std::is_same_v<T, ast::BoolLit>) {
            line(indent, node.value ? "BoolLit true" : "BoolLit false", e.span);
          } else if constexpr (std::is_same_v<T, ast::NullLit>) {
            line(indent, "NullLit", e.span);
          } else if constexpr (std::is_same_v<T, ast::DomainLit>) {
            line(indent, fmt::format("DomainLit {} {}", domain_kind(node.kind), node.text), e.span);
          } else if constexpr (std::is_same_v<T, ast::ListLit>) {
            line(indent, "ListLit", e.span);
            for (ast::ExprId item : node.items)
              expr(item, indent + 1);
          } else if constexpr (std::is_same_v<T, ast::RecordLit>) {
            line(indent, node.schema ? "RecordLit " + node.schema->text : "RecordLit", e.span);
            body(node.body, indent + 1);
          } else if constexpr (std::is_same_v<T, ast::NameRef>) {
            line(indent, "NameRef " + node.name.text, e.span);
          } else if constexpr (std::is_same_v<T, ast::Member>) {
            line(indent, "Member " + node.member.text, e.span);
            expr(node.object, indent + 1);
          } else if constexpr (std::is_same_v<T, ast::ResourceExpr>) {
            line(indent,
                 fmt::format("Resource {}.{} {}", node.provider.text, node.kind.text,
                             sdk::quote_string(node.label.text)),
                 e.span);
            body(node.body, indent + 1);
          } else {
            static_assert(sizeof(T) == 0, "dump: unhandled expression kind");
          }
        },
        e.node);
  }

  const ast::File& file_;
  const source::SourceManager& sources_;
  std::string out_;
};

}  // namespace

std::string dump(const ast::File& file, const source::SourceManager& sources) {
  return Dumper(file, sources).run();
}

}  // namespace kc::syntax
