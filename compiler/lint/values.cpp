// Finding instances in the exports, and locating where their fields were written.
#include "compiler/lint/values.h"

#include <fmt/format.h>

namespace kc::lint {

namespace {

class InstanceFinder {
 public:
  InstanceFinder(const Context& context, const sema::SchemaInfo* schema)
      : context_(context), schema_(schema) {}

  std::vector<Instance> run() {
    const eval::DesiredState* desired = context_.desired();
    if (desired == nullptr || schema_ == nullptr) return {};
    uint32_t root = context_.checked().program->root;
    const sema::CheckedModule& module = context_.checked().modules[root];
    for (uint32_t s = 0; s < module.symbols.size(); ++s) {
      const sema::Symbol& symbol = module.symbols[s];
      if (symbol.kind != sema::SymbolKind::Export) continue;
      const sdk::Value* value = desired->exports.find(symbol.name);
      if (value == nullptr) continue;
      symbol_ = s;
      ValuePath path;
      walk(*value, symbol.type, path, symbol.name, 0);
    }
    return std::move(found_);
  }

 private:
  void walk(const sdk::Value& value, sema::TypeId type, ValuePath& path, const std::string& owner,
            int depth) {
    if (depth > 64) return;
    const sema::TypeTable& types = context_.checked().types;
    sema::TypeId core = types.core(type);
    switch (types.kind(core)) {
      case sema::TypeKind::Schema: {
        const sema::SchemaInfo* info = context_.checked().schema(core);
        if (info == nullptr || value.kind() != sdk::Kind::Map) return;
        if (context_.extends(info, schema_)) {
          found_.push_back(Instance{info, &value, symbol_, path, owner});
        }
        for (const sema::FieldInfo& field : info->fields) {
          const sdk::Value* inner = value.find(field.name);
          if (inner == nullptr) continue;
          path.push_back(PathStep{field.name, std::nullopt});
          walk(*inner, field.type, path, owner + "." + field.name, depth + 1);
          path.pop_back();
        }
        return;
      }
      case sema::TypeKind::List: {
        if (value.kind() != sdk::Kind::List) return;
        const sdk::List& items = value.as_list();
        for (size_t i = 0; i < items.size(); ++i) {
          path.push_back(PathStep{std::string(), i});
          walk(items[i], types.get(core).element, path, fmt::format("{}[{}]", owner, i), depth + 1);
          path.pop_back();
        }
        return;
      }
      case sema::TypeKind::Map: {
        if (value.kind() != sdk::Kind::Map) return;
        for (const auto& [key, inner] : value.as_map()) {
          path.push_back(PathStep{key, std::nullopt});
          walk(inner, types.get(core).element, path, fmt::format("{}[\"{}\"]", owner, key),
               depth + 1);
          path.pop_back();
        }
        return;
      }
      default:
        return;
    }
  }

  const Context& context_;
  const sema::SchemaInfo* schema_;
  uint32_t symbol_ = 0;
  std::vector<Instance> found_;
};

// Searches the source for the path, remembering the deepest step reached.
class Locator {
 public:
  Locator(const Context& context, const ValuePath& path) : context_(context), path_(path) {}

  Location run(uint32_t module, uint32_t symbol) {
    const sema::Symbol& s = context_.checked().modules[module].symbols[symbol];
    best_ = Location{s.span, path_.empty()};
    const ast::Decl& decl = context_.file(module, s.file).decls[s.decl];
    if (const auto* exported = std::get_if<ast::Export>(&decl.node)) {
      expr(module, s.file, exported->value, 0, 0);
    }
    return best_;
  }

 private:
  void reach(size_t step, source::Span span) {
    if (step > reached_) {
      reached_ = step;
      best_ = Location{span, step == path_.size()};
    }
  }

  void expr(uint32_t m, uint32_t f, ast::ExprId id, size_t step, int depth) {
    if (!id.valid() || depth > 32) return;
    const ast::File& file = context_.file(m, f);
    const ast::Expr& node = file.expr(id);
    if (const auto* paren = std::get_if<ast::Paren>(&node.node)) {
      expr(m, f, paren->inner, step, depth + 1);
    } else if (const auto* record = std::get_if<ast::RecordLit>(&node.node)) {
      body(m, f, record->body, step, depth + 1);
    } else if (const auto* with = std::get_if<ast::With>(&node.node)) {
      size_t before = reached_;
      body(m, f, with->body, step, depth + 1);
      if (reached_ == before) expr(m, f, with->object, step, depth + 1);
    } else if (const auto* list = std::get_if<ast::ListLit>(&node.node)) {
      if (step < path_.size() && path_[step].index && *path_[step].index < list->items.size()) {
        ast::ExprId item = list->items[*path_[step].index];
        reach(step + 1, file.expr(item).span);
        expr(m, f, item, step + 1, depth + 1);
      }
    } else if (std::holds_alternative<ast::NameRef>(node.node)) {
      // A `let` or export of a user module: continue in its value.
      const auto& names = context_.checked().modules[m].names;
      if (f >= names.size()) return;
      auto it = names[f].find(id.index);
      if (it == names[f].end() || it->second.symbol < 0) return;
      uint32_t tm = it->second.module;
      if (context_.is_std(tm)) return;
      const sema::Symbol& target =
          context_.checked().modules[tm].symbols[static_cast<size_t>(it->second.symbol)];
      const ast::Decl& decl = context_.file(tm, target.file).decls[target.decl];
      if (const auto* let = std::get_if<ast::Let>(&decl.node)) {
        expr(tm, target.file, let->value, step, depth + 1);
      } else if (const auto* exported = std::get_if<ast::Export>(&decl.node)) {
        expr(tm, target.file, exported->value, step, depth + 1);
      }
    }
  }

  // A label matches the step when it is the same text, or when it is computed (a generated
  // entry: the nearest place it was written).
  bool label_matches(const ast::File& file, const ast::Label& label, const std::string& key) const {
    std::optional<ast::Name> text = ast::static_label(file, label);
    return !text || text->text == key;
  }

  void body(uint32_t m, uint32_t f, ast::BodyId id, size_t step, int depth) {
    if (!id.valid() || step >= path_.size() || depth > 64) return;
    const ast::File& file = context_.file(m, f);
    const std::string& key = path_[step].key;
    for (const ast::BodyItem& item : file.body(id).items) {
      if (const auto* assign = std::get_if<ast::FieldAssign>(&item.node)) {
        if (path_[step].index || !label_matches(file, assign->key, key)) continue;
        reach(step + 1, assign->block_form ? assign->key.span : item.span);
        expr(m, f, assign->value, step + 1, depth + 1);
      } else if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
        if (block->field.text != key) continue;
        if (step + 1 >= path_.size()) {
          reach(step + 1, block->field.span);
          continue;
        }
        if (!label_matches(file, block->label, path_[step + 1].key)) continue;
        reach(step + 2, source::Span::cover(block->field.span, block->label.span));
        body(m, f, block->body, step + 2, depth + 1);
      } else if (const auto* loop = std::get_if<ast::ForItem>(&item.node)) {
        body(m, f, loop->body, step, depth + 1);
      } else if (const auto* branch = std::get_if<ast::IfItem>(&item.node)) {
        for (const ast::IfBranch& b : branch->branches)
          body(m, f, b.body, step, depth + 1);
        if (branch->else_body) body(m, f, *branch->else_body, step, depth + 1);
      }
    }
  }

  const Context& context_;
  const ValuePath& path_;
  Location best_;
  size_t reached_ = 0;
};

}  // namespace

std::vector<Instance> find_instances(const Context& context, const sema::SchemaInfo* schema) {
  return InstanceFinder(context, schema).run();
}

const sdk::Value* value_at(const sdk::Value& value, std::initializer_list<std::string_view> keys) {
  const sdk::Value* at = &value;
  for (std::string_view key : keys) {
    if (at->kind() != sdk::Kind::Map) return nullptr;
    at = at->find(key);
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::optional<int64_t> int_at(const sdk::Value& value,
                              std::initializer_list<std::string_view> keys) {
  const sdk::Value* at = value_at(value, keys);
  if (at == nullptr || at->kind() != sdk::Kind::Int) return std::nullopt;
  return at->as_int();
}

std::optional<std::string> string_at(const sdk::Value& value,
                                     std::initializer_list<std::string_view> keys) {
  const sdk::Value* at = value_at(value, keys);
  if (at == nullptr || at->kind() != sdk::Kind::String) return std::nullopt;
  return at->as_string();
}

std::optional<sdk::Cidr> cidr_at(const sdk::Value& value,
                                 std::initializer_list<std::string_view> keys) {
  const sdk::Value* at = value_at(value, keys);
  if (at == nullptr || at->kind() != sdk::Kind::Cidr) return std::nullopt;
  return at->as_cidr();
}

Location locate(const Context& context, const Instance& instance, const ValuePath& below) {
  ValuePath path = join(instance.path, below);
  return Locator(context, path).run(context.checked().program->root, instance.symbol);
}

ValuePath path_of(std::initializer_list<std::string_view> keys) {
  ValuePath path;
  for (std::string_view key : keys)
    path.push_back(PathStep{std::string(key), std::nullopt});
  return path;
}

ValuePath join(const ValuePath& a, const ValuePath& b) {
  ValuePath out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace kc::lint

namespace kc::lint {

std::optional<source::Span> resource_attribute_span(const Context& context,
                                                    const eval::DesiredResource& resource,
                                                    std::string_view attribute) {
  if (!resource.span.valid() || !context.linted(resource.span.file)) return std::nullopt;
  for (uint32_t m : context.modules()) {
    const auto& files = context.checked().source(m).files;
    for (uint32_t f = 0; f < files.size(); ++f) {
      const ast::File& file = *files[f];
      if (file.file != resource.span.file) continue;
      for (const ast::Expr& expr : file.exprs) {
        const auto* node = std::get_if<ast::ResourceExpr>(&expr.node);
        if (node == nullptr || !(expr.span == resource.span)) continue;
        for (const ast::BodyItem& item : file.body(node->body).items) {
          const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
          if (assign == nullptr) continue;
          std::optional<ast::Name> key = ast::static_label(file, assign->key);
          if (key && key->text == attribute) return item.span;
        }
        return resource.span;
      }
    }
  }
  return resource.span;
}

}  // namespace kc::lint
