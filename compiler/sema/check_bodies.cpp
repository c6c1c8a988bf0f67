// Bodies (LANGUAGE.md 5): a brace literal is a schema instance where a schema is expected (or
// named), a map where a map is expected, and otherwise an untyped record — or a map when its keys
// are only known at evaluation (generators, interpolated keys). Items inside `for` and `if`
// generators are checked like the others, with the generator's variables in scope.
#include <set>

#include "compiler/sema/check.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/suggest.h"

namespace kc::sema {

namespace {

Span opening_brace(Span body) {
  return Span{body.file, body.begin, body.begin + 1};
}

}  // namespace

std::vector<ast::ExprId> key_receivers(const ast::File& file, ast::ExprId value) {
  std::vector<ast::ExprId> out;
  std::vector<ast::ExprId> pending = {value};
  while (!pending.empty()) {
    ast::ExprId id = pending.back();
    pending.pop_back();
    const ast::Expr& e = file.expr(id);
    if (std::holds_alternative<ast::RecordLit>(e.node)) {
      out.push_back(id);
    } else if (const auto* paren = std::get_if<ast::Paren>(&e.node)) {
      pending.push_back(paren->inner);
    } else if (const auto* branch = std::get_if<ast::IfElse>(&e.node)) {
      pending.push_back(branch->then_value);
      pending.push_back(branch->else_value);
    } else if (const auto* binary = std::get_if<ast::Binary>(&e.node);
               binary && binary->op == ast::BinaryOp::Coalesce) {
      pending.push_back(binary->lhs);
      pending.push_back(binary->rhs);
    }
  }
  return out;
}

// Checks `value` with the brace literals it may evaluate to marked as given their @key.
void Checker::check_keyed_value(uint32_t m, uint32_t f, ExprId value, std::optional<TypeId> want,
                                TypeId* type) {
  std::vector<ast::ExprId> receivers = key_receivers(file(m, f), value);
  for (ast::ExprId id : receivers)
    keyed_exprs_.insert({m, f, id.index});
  if (want) {
    check_against(m, f, value, *want);
  } else {
    *type = infer(m, f, value, std::nullopt);
  }
  for (ast::ExprId id : receivers)
    keyed_exprs_.erase({m, f, id.index});
}

TypeId Checker::record_literal(uint32_t m, uint32_t f, ExprId id, const ast::RecordLit& record,
                               std::optional<TypeId> expected) {
  bool key_given = keyed_exprs_.count({m, f, id.index}) > 0;
  Span brace = opening_brace(file(m, f).body(record.body).span);
  if (record.schema) {
    std::optional<Declared> target = lookup_qualified(m, *record.schema, /*report=*/true);
    if (target && symbol(*target).kind == SymbolKind::Schema) {
      return instance_body(m, f, record.body, symbol(*target).type, key_given, record.schema->span);
    }
    if (target && symbol(*target).kind != SymbolKind::Unchecked) {
      diags_
          .error(Code::E0301, record.schema->span,
                 fmt::format("{} is {}, not a schema", ticked(record.schema->name.text),
                             a_kind(symbol(*target).kind)))
          .with_secondary(symbol(*target).span, "declared here");
    }
    untyped_body(m, f, record.body);
    return types_.error();
  }
  if (expected) {
    TypeId want = types_.core(*expected);
    if (types_.kind(want) == TypeKind::Schema) {
      return instance_body(m, f, record.body, want, key_given, brace);
    }
    if (types_.kind(want) == TypeKind::Map) {
      return map_body(m, f, record.body, types_.get(want).element);
    }
  }
  return untyped_body(m, f, record.body);
}

void Checker::walk_body(uint32_t m, uint32_t f, ast::BodyId id, const ItemHandler& on_item,
                        bool generated) {
  for (const ast::BodyItem& item : file(m, f).body(id).items) {
    if (const auto* loop = std::get_if<ast::ForItem>(&item.node)) {
      auto [key, value] = iteration_types(m, f, loop->iterable, loop->key.has_value());
      size_t depth = locals_.size();
      if (loop->key) locals_.emplace_back(loop->key->text, key);
      locals_.emplace_back(loop->value.text, value);
      walk_body(m, f, loop->body, on_item, true);
      locals_.resize(depth);
    } else if (const auto* branch = std::get_if<ast::IfItem>(&item.node)) {
      for (const ast::IfBranch& b : branch->branches) {
        check_against(m, f, b.condition, types_.primitive(TypeKind::Bool));
        walk_body(m, f, b.body, on_item, true);
      }
      if (branch->else_body) walk_body(m, f, *branch->else_body, on_item, true);
    } else {
      on_item(item, generated);
    }
  }
}

std::optional<ast::Name> Checker::label_text(uint32_t m, uint32_t f, const ast::Label& label) {
  if (auto name = ast::static_label(file(m, f), label)) return name;
  check_against(m, f, label.string, types_.primitive(TypeKind::String));
  return std::nullopt;
}

bool Checker::keyed_schema(TypeId type) {
  TypeId core = types_.core(type);
  return types_.kind(core) == TypeKind::Schema && schema_of(core).key_field() != nullptr;
}

void Checker::reject_item(uint32_t m, uint32_t f, const ast::BodyItem& item,
                          std::string_view where) {
  if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
    walk_body(m, f, block->body, [&](const ast::BodyItem& inner, bool) {
      if (const auto* assign = std::get_if<ast::FieldAssign>(&inner.node)) {
        infer(m, f, assign->value, std::nullopt);
      }
    });
    diags_
        .error(Code::E0301, Span::cover(block->field.span, block->label.span),
               fmt::format("a labelled block cannot stand in {}", where))
        .with_label("`field label { ... }` adds an entry to a map field of a schema");
  } else if (const auto* resource = std::get_if<ast::ResourceItem>(&item.node)) {
    infer(m, f, resource->resource, std::nullopt);
    diags_.error(Code::E0301, item.span, fmt::format("a `resource` item cannot stand in {}", where))
        .with_label("resources in bodies belong to schema instances");
  } else if (std::holds_alternative<ast::ForItem>(item.node) ||
             std::holds_alternative<ast::IfItem>(item.node)) {
    diags_.error(Code::E0301, item.span, fmt::format("generators cannot stand in {}", where))
        .with_label("compute the value with a comprehension instead");
  }
}

TypeId Checker::instance_body(uint32_t m, uint32_t f, ast::BodyId id, TypeId schema, bool key_given,
                              Span at) {
  const Type& schema_type = types_.get(schema);
  InstanceScan scan;
  scan.module = schema_type.module_index;
  scan.symbol = schema_type.symbol;
  const SchemaInfo& info = schema_fields(scan.module, scan.symbol);
  if (key_given && info.key_field()) scan.assigned.insert(info.key_field()->name);
  walk_body(m, f, id, [&](const ast::BodyItem& item, bool generated) {
    if (const auto* assign = std::get_if<ast::FieldAssign>(&item.node)) {
      instance_assign(m, f, *assign, generated, scan);
    } else if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
      instance_block(m, f, *block, generated, scan);
    } else if (const auto* resource = std::get_if<ast::ResourceItem>(&item.node)) {
      infer(m, f, resource->resource, std::nullopt);
    }
  });
  report_missing_fields(scan, at);
  return schema;
}

// `field = value` in an instance body.
void Checker::instance_assign(uint32_t m, uint32_t f, const ast::FieldAssign& assign,
                              bool generated, InstanceScan& scan) {
  const SchemaInfo& info = scan.info(out_);
  std::optional<ast::Name> key = ast::static_label(file(m, f), assign.key);
  if (!key) {
    label_text(m, f, assign.key);
    infer(m, f, assign.value, std::nullopt);
    diags_
        .error(Code::E0302, assign.key.span,
               fmt::format("the fields of {} are named, not computed", ticked(info.name)))
        .with_label("write the field name here");
    return;
  }
  const FieldInfo* field = info.find_field(key->text);
  if (field != nullptr) {
    note_member_use(m, key->span, NameUse::Kind::Field, scan.module, scan.symbol, key->text);
  }
  if (field == nullptr) {
    infer(m, f, assign.value, std::nullopt);
    if (const SchemaLet* let = scan.info(out_).find_let(key->text)) {
      derived_not_settable(*key, scan.info(out_), *let);
    } else {
      unknown_field(*key, scan.info(out_));
    }
    return;
  }
  const FieldInfo copy = *field;  // typing the value may add schemas
  if (!generated && note_field(scan.seen, Field{*key, assign.value}, "field")) {
    if (auto it = scan.first_block.find(copy.name); it != scan.first_block.end())
      set_both_ways(copy.name, key->span, it->second);
  }
  scan.assigned.insert(copy.name);
  if (copy.deprecated) {
    diags_
        .warning(Code::E0306, key->span,
                 fmt::format("{} is deprecated{}", ticked(copy.name),
                             copy.deprecated->empty() ? "" : ": " + *copy.deprecated))
        .with_secondary(copy.span, "declared deprecated here");
  }
  check_against(
      m, f, assign.value, copy.type, copy.span,
      fmt::format("{} is declared as {} here", ticked(copy.name), quoted_type(copy.type)));
}

// `field label { ... }` in an instance body: an entry of a map-of-schema field.
void Checker::instance_block(uint32_t m, uint32_t f, const ast::LabelledBlock& block,
                             bool generated, InstanceScan& scan) {
  const FieldInfo* found = scan.info(out_).find_field(block.field.text);
  std::optional<ast::Name> label = label_text(m, f, block.label);
  TypeId map = found ? types_.core(found->type) : types_.error();
  TypeId element =
      types_.kind(map) == TypeKind::Map ? types_.core(types_.get(map).element) : types_.error();
  if (found == nullptr || types_.kind(element) != TypeKind::Schema) {
    walk_body(m, f, block.body, [&](const ast::BodyItem& inner, bool) {
      if (const auto* a = std::get_if<ast::FieldAssign>(&inner.node))
        infer(m, f, a->value, std::nullopt);
    });
    if (found == nullptr) {
      unknown_field(block.field, scan.info(out_));
    } else {
      diags_
          .error(Code::E0301, block.field.span,
                 fmt::format("{} is {}, so it takes no labelled blocks", ticked(found->name),
                             quoted_type(found->type)))
          .with_label("`field label { ... }` adds an entry to a map of schema instances")
          .with_secondary(found->span, "declared here");
    }
    return;
  }
  const std::string name = found->name;
  note_member_use(m, block.field.span, NameUse::Kind::Field, scan.module, scan.symbol, name);
  scan.assigned.insert(name);
  if (!generated && scan.first_block.emplace(name, block.field.span).second) {
    if (auto it = scan.seen.find(name); it != scan.seen.end())
      set_both_ways(name, block.field.span, it->second);
  }
  if (label && !generated) {
    auto [it, fresh] = scan.labels[name].emplace(label->text, label->span);
    if (!fresh) {
      diags_
          .error(Code::E0305, label->span,
                 fmt::format("entry {} of {} is set twice", ticked(label->text),
                             ticked(block.field.text)))
          .with_label("set again here")
          .with_secondary(it->second, "first set here");
    }
  }
  instance_body(m, f, block.body, element, schema_of(element).key_field() != nullptr,
                Span::cover(block.field.span, block.label.span));
}

void Checker::report_missing_fields(const InstanceScan& scan, Span at) {
  const SchemaInfo& info = scan.info(out_);
  std::vector<const FieldInfo*> missing;
  for (const FieldInfo& field : info.fields) {
    if (field.required && !scan.assigned.count(field.name)) missing.push_back(&field);
  }
  if (missing.empty()) return;
  std::string names;
  for (const FieldInfo* field : missing)
    names += (names.empty() ? "" : ", ") + ticked(field->name);
  auto& d = diags_.error(Code::E0303, at,
                         fmt::format("missing required field{} {} in {}",
                                     missing.size() == 1 ? "" : "s", names, ticked(info.name)));
  d.with_label(missing.size() == 1 ? "this instance does not set it"
                                   : "this instance does not set them");
  for (const FieldInfo* field : missing) {
    d.with_secondary(field->span,
                     fmt::format("{} is declared without a default here", ticked(field->name)));
    if (field->key) {
      d.with_note(
          fmt::format("{} is the @key: an entry of a map or a labelled block takes it "
                      "from the key or label; elsewhere set it",
                      ticked(field->name)));
    }
  }
}

// A map field given both `field = { ... }` and `field label { ... }`.
void Checker::set_both_ways(const std::string& field, Span at, Span first) {
  diags_
      .error(Code::E0305, at,
             fmt::format("field {} is set both by `=` and by labelled blocks", ticked(field)))
      .with_label("set again here")
      .with_secondary(first, "first set here")
      .with_note(fmt::format("use one form: `{} = {{ ... }}` or `{} label {{ ... }}` blocks", field,
                             field));
}

void Checker::derived_not_settable(const ast::Name& name, const SchemaInfo& info,
                                   const SchemaLet& let) {
  diags_
      .error(Code::E0302, name.span,
             fmt::format("{} is derived in {} and cannot be set", ticked(name.text),
                         ticked(info.name)))
      .with_label("a `let` is computed from the fields")
      .with_secondary(let.span, "a `let` of the schema");
}

// An unknown field: the closest field is suggested, or else the fields are listed.
void Checker::unknown_field(const ast::Name& name, const SchemaInfo& info) {
  std::vector<std::string> names;
  for (const auto& candidate : info.fields)
    names.push_back(candidate.name);
  unknown_listed(Code::E0302, name.span, name.text,
                 fmt::format("unknown field {} in {}", ticked(name.text), ticked(info.name)), names,
                 fmt::format("fields of {}", ticked(info.name)));
}

TypeId Checker::map_body(uint32_t m, uint32_t f, ast::BodyId id, TypeId element) {
  std::map<std::string, Span> seen;
  bool keyed = keyed_schema(element);
  walk_body(m, f, id, [&](const ast::BodyItem& item, bool generated) {
    const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
    if (assign == nullptr) return reject_item(m, f, item, "a map");
    std::optional<ast::Name> key = label_text(m, f, assign->key);
    if (key && !generated) note_field(seen, Field{*key, assign->value}, "key");
    if (keyed) {
      check_keyed_value(m, f, assign->value, element, nullptr);
    } else {
      check_against(m, f, assign->value, element);
    }
  });
  return types_.map_of(element);
}

TypeId Checker::untyped_body(uint32_t m, uint32_t f, ast::BodyId id) {
  Type record;
  record.kind = TypeKind::Record;
  bool dynamic = false;
  TypeId common = types_.primitive(TypeKind::Never);
  std::map<std::string, Span> seen;
  walk_body(m, f, id, [&](const ast::BodyItem& item, bool generated) {
    const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
    if (assign == nullptr) return reject_item(m, f, item, "an untyped record");
    std::optional<ast::Name> key = label_text(m, f, assign->key);
    // With nothing expected this is a map, so its keys fill the @key of instances in it.
    TypeId value = types_.error();
    check_keyed_value(m, f, assign->value, std::nullopt, &value);
    common = common_type(common, value);
    if (!key || generated) {
      dynamic = true;
      return;
    }
    if (note_field(seen, Field{*key, assign->value}, "field")) {
      record.fields.emplace_back(key->text, value);
    }
  });
  if (dynamic) {
    return types_.map_of(types_.kind(common) == TypeKind::Never ? types_.any() : common);
  }
  return types_.intern(std::move(record));
}

// The checked items of a body; report_unchecked has reported the others.
std::vector<Checker::Field> Checker::fields(uint32_t m, uint32_t f, ast::BodyId id) const {
  std::vector<Field> out;
  const ast::File& source = file(m, f);
  for (const ast::BodyItem& item : source.body(id).items) {
    const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
    if (assign == nullptr) continue;
    if (auto key = ast::static_label(source, assign->key)) out.push_back({*key, assign->value});
  }
  return out;
}

// Records a field as set; reports E0305 and returns false when it was set before.
bool Checker::note_field(std::map<std::string, Span>& seen, const Field& item,
                         std::string_view what) {
  auto [it, fresh] = seen.emplace(item.name.text, item.name.span);
  if (fresh) return true;
  diags_
      .error(Code::E0305, item.name.span,
             fmt::format("{} {} is set twice", what, ticked(item.name.text)))
      .with_label("set again here")
      .with_secondary(it->second, "first set here");
  return false;
}

}  // namespace kc::sema
