// Bodies at evaluation: generators run here (`for` over a list or map, `if` branches), and a brace
// literal becomes what the checker typed it as — a schema instance, a map or a record. Generated
// items that collide are reported at both places (LANGUAGE.md 5).
#include <algorithm>

#include "compiler/eval/evaluator.h"
#include "compiler/sema/check.h"

namespace kc::eval {

void Evaluator::report_set_twice(std::string_view what, const std::string& name, Span at,
                                 Span first, std::string_view of) {
  auto& d =
      diags_->error(Code::E0305, at, fmt::format("{} {}{} is set twice", what, ticked(name), of));
  if (first != at) {
    d.with_label("set again here").with_secondary(first, "first set here");
  } else {
    d.with_label("generated twice here")
        .with_note("two runs of the generator around it give the same name");
  }
}

bool Evaluator::walk_body(uint32_t m, uint32_t f, ast::BodyId id, const ItemFn& on_item) {
  bool ok = true;
  auto not_known = [&](ExprId at, std::string_view what) {
    diags_
        ->error(Code::E0407, file(m, f).expr(at).span,
                fmt::format("{} is not known until apply", what))
        .with_label("it depends on an output of a resource that does not exist yet")
        .with_note("the items a body generates must be known when planning");
    ok = false;
  };
  for (const ast::BodyItem& item : file(m, f).body(id).items) {
    if (const auto* loop = std::get_if<ast::ForItem>(&item.node)) {
      Result iterable = expr(m, f, loop->iterable);
      if (!iterable) {
        ok = false;
        continue;
      }
      if (iterable->is_unknown()) {
        not_known(loop->iterable, "what this `for` iterates over");
        continue;
      }
      auto one = [&](Value key, Value value) {
        if (++comprehension_steps_ > kMaxComprehensionSteps) return false;
        size_t mark = locals_.size();
        if (loop->key) locals_.emplace_back(loop->key->text, std::move(key));
        locals_.emplace_back(loop->value.text, std::move(value));
        bool done = walk_body(m, f, loop->body, on_item);
        locals_.resize(mark);
        return done;
      };
      if (iterable->kind() == sdk::Kind::List) {
        const sdk::List& items = iterable->as_list();
        for (size_t i = 0; i < items.size(); ++i)
          ok = one(Value(static_cast<int64_t>(i)), items[i]) && ok;
      } else if (iterable->kind() == sdk::Kind::Map) {
        for (const auto& [key, value] : iterable->as_map())
          ok = one(Value(key), loop->key ? value : Value(key)) && ok;
      }
      if (comprehension_steps_ > kMaxComprehensionSteps) {
        diags_
            ->error(Code::E0406, file(m, f).expr(loop->iterable).span,
                    fmt::format("generators and comprehensions run more than {} times",
                                kMaxComprehensionSteps))
            .with_label("stopped here");
        return false;
      }
    } else if (const auto* branch = std::get_if<ast::IfItem>(&item.node)) {
      std::optional<ast::BodyId> taken = branch->else_body;
      bool failed = false;
      for (const ast::IfBranch& b : branch->branches) {
        Result condition = expr(m, f, b.condition);
        if (!condition) {
          failed = true;
          break;
        }
        if (condition->is_unknown()) {
          not_known(b.condition, "this condition");
          failed = true;
          break;
        }
        if (condition->as_bool()) {
          taken = b.body;
          break;
        }
      }
      if (failed) {
        ok = false;
        continue;
      }
      if (taken) ok = walk_body(m, f, *taken, on_item) && ok;
    } else {
      ok = on_item(item) && ok;
    }
  }
  return ok;
}

std::optional<std::string> Evaluator::label_value(uint32_t m, uint32_t f, const ast::Label& label) {
  if (auto name = ast::static_label(file(m, f), label)) return name->text;
  Result value = expr(m, f, label.string);
  if (!value) return std::nullopt;
  if (value->is_unknown()) {
    diags_->error(Code::E0407, label.span, "this label is not known until apply")
        .with_label("it depends on an output of a resource that does not exist yet")
        .with_note("labels and keys name things, so they must be known when planning");
    return std::nullopt;
  }
  return value->as_string();
}

// A map entry's value: the brace literals it may evaluate to take `key` for their @key field.
Result Evaluator::keyed_value(uint32_t m, uint32_t f, ExprId value, const std::string& key) {
  std::vector<ast::ExprId> receivers = sema::key_receivers(file(m, f), value);
  for (ast::ExprId id : receivers)
    keyed_exprs_[{m, f, id.index}] = key;
  Result result = expr(m, f, value);
  for (ast::ExprId id : receivers)
    keyed_exprs_.erase({m, f, id.index});
  return result;
}

Result Evaluator::record_literal(uint32_t m, uint32_t f, ExprId id, const ast::RecordLit& record) {
  sema::TypeId type = type_of(m, f, id);
  Span at = record.schema ? record.schema->span : file(m, f).body(record.body).span;
  switch (program_.types.kind(type)) {
    case TypeKind::Schema: {
      std::optional<std::string> key;
      if (auto it = keyed_exprs_.find({m, f, id.index}); it != keyed_exprs_.end()) key = it->second;
      return build_instance(m, f, record.body, type, std::move(key), at, path_);
    }
    case TypeKind::Map:
      return map_body(m, f, record.body, program_.types.get(type).element);
    case TypeKind::Record:
    case TypeKind::Any:  // the meta-blocks of resources (`lifecycle { ... }`)
      return record_body(m, f, record.body);
    default:
      return std::nullopt;  // reported by the checker
  }
}

Result Evaluator::map_body(uint32_t m, uint32_t f, ast::BodyId id, sema::TypeId element) {
  sdk::Entries entries;
  std::map<std::string, Span> seen;
  bool keyed = false;
  if (const sema::SchemaInfo* info = program_.schema(program_.types.core(element))) {
    keyed = info->key_field() != nullptr;
  }
  bool ok = walk_body(m, f, id, [&](const ast::BodyItem& item) {
    const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
    if (assign == nullptr) return false;  // reported by the checker
    std::optional<std::string> key = label_value(m, f, assign->key);
    if (!key) return false;
    auto [it, fresh] = seen.emplace(*key, assign->key.span);
    if (!fresh) {
      report_set_twice("key", *key, assign->key.span, it->second);
      return false;
    }
    std::string outer_path = std::exchange(path_, fmt::format("{}[{}]", path_, address_key(*key)));
    Result value = keyed ? keyed_value(m, f, assign->value, *key) : expr(m, f, assign->value);
    path_ = std::move(outer_path);
    if (!value) return false;
    entries.emplace_back(*key, std::move(*value));
    return true;
  });
  if (!ok) return std::nullopt;
  return Value::map(std::move(entries));
}

Result Evaluator::record_body(uint32_t m, uint32_t f, ast::BodyId id) {
  sdk::Entries entries;
  std::map<std::string, Span> seen;
  bool ok = walk_body(m, f, id, [&](const ast::BodyItem& item) {
    const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
    if (assign == nullptr) return false;  // reported by the checker
    std::optional<std::string> key = label_value(m, f, assign->key);
    if (!key) return false;
    std::string outer_path = std::exchange(path_, path_member(path_, *key));
    Result value = keyed_value(m, f, assign->value, *key);
    path_ = std::move(outer_path);
    if (!value) return false;
    auto [it, fresh] = seen.emplace(*key, assign->key.span);
    if (!fresh) {
      // Only generated items can collide here: the checker rejected written-out repeats.
      report_set_twice("key", *key, assign->key.span, it->second);
      return false;
    }
    entries.emplace_back(*key, std::move(*value));
    return true;
  });
  if (!ok) return std::nullopt;
  return Value::map(std::move(entries));
}

}  // namespace kc::eval
