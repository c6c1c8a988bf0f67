// Classifying bodies: roots are the brace literals, `with` bodies, resources and provider blocks
// (typed by the checker or by the provider schema); labelled blocks and generator bodies inherit
// from the body they stand in.
#include "compiler/lint/bodies.h"

namespace kc::lint {

namespace {

class Classifier {
 public:
  Classifier(const Context& context, uint32_t module, uint32_t file)
      : context_(context),
        module_(module),
        file_index_(file),
        file_(context.file(module, file)),
        kinds_(file_.bodies.size()) {}

  std::vector<BodyKind> run() {
    for (uint32_t e = 0; e < file_.exprs.size(); ++e) {
      const ast::Expr& expr = file_.exprs[e];
      ast::ExprId id{e};
      if (const auto* record = std::get_if<ast::RecordLit>(&expr.node)) {
        assign(record->body, of_type(context_.type_of(module_, file_index_, id)));
      } else if (const auto* with = std::get_if<ast::With>(&expr.node)) {
        assign(with->body, of_type(context_.type_of(module_, file_index_, id)));
      } else if (const auto* resource = std::get_if<ast::ResourceExpr>(&expr.node)) {
        BodyKind kind;
        kind.kind = BodyKind::Kind::Resource;
        kind.resource =
            context_.schemas().find_resource(resource->provider.text + "." + resource->kind.text);
        assign(resource->body, kind);
      }
    }
    for (const ast::Decl& decl : file_.decls) {
      if (const auto* provider = std::get_if<ast::Provider>(&decl.node)) {
        BodyKind kind;
        kind.kind = BodyKind::Kind::Provider;
        kind.provider = context_.schemas().find_provider(provider->name.text);
        assign(provider->body, kind);
      }
    }
    return std::move(kinds_);
  }

 private:
  BodyKind of_type(sema::TypeId type) const {
    BodyKind kind;
    const sema::TypeTable& types = context_.checked().types;
    sema::TypeId core = types.core(type);
    switch (types.kind(core)) {
      case sema::TypeKind::Schema:
        kind.kind = BodyKind::Kind::Schema;
        kind.schema = context_.checked().schema(core);
        break;
      case sema::TypeKind::Map:
        kind.kind = BodyKind::Kind::Map;
        break;
      case sema::TypeKind::Record:
        kind.kind = BodyKind::Kind::Record;
        break;
      default:
        break;
    }
    return kind;
  }

  void assign(ast::BodyId id, const BodyKind& kind, int depth = 0) {
    if (!id.valid() || id.index >= kinds_.size() || depth > 256) return;
    kinds_[id.index] = kind;
    for (const ast::BodyItem& item : file_.body(id).items) {
      if (const auto* loop = std::get_if<ast::ForItem>(&item.node)) {
        assign(loop->body, kind, depth + 1);
      } else if (const auto* branch = std::get_if<ast::IfItem>(&item.node)) {
        for (const ast::IfBranch& b : branch->branches)
          assign(b.body, kind, depth + 1);
        if (branch->else_body) assign(*branch->else_body, kind, depth + 1);
      } else if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
        BodyKind entry;
        if (kind.schema != nullptr) {
          if (const sema::FieldInfo* field = kind.schema->find_field(block->field.text)) {
            const sema::TypeTable& types = context_.checked().types;
            sema::TypeId map = types.core(field->type);
            if (types.kind(map) == sema::TypeKind::Map) entry = of_type(types.get(map).element);
          }
        }
        assign(block->body, entry, depth + 1);
      }
    }
  }

  const Context& context_;
  uint32_t module_;
  uint32_t file_index_;
  const ast::File& file_;
  std::vector<BodyKind> kinds_;
};

}  // namespace

std::vector<BodyKind> classify_bodies(const Context& context, uint32_t module, uint32_t file) {
  return Classifier(context, module, file).run();
}

}  // namespace kc::lint
