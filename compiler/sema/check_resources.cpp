// Resource expressions (LANGUAGE.md 7): attributes typed against the provider's schema, and the
// meta-attributes `depends_on`, `lifecycle`, `rollout` and `hooks`.
#include <algorithm>
#include <set>

#include "compiler/sema/check.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/suggest.h"

namespace kc::sema {

TypeId Checker::resource(uint32_t m, uint32_t f, const ast::ResourceExpr& node) {
  std::string type_name = node.provider.text + "." + node.kind.text;
  Span type_span = Span::cover(node.provider.span, node.kind.span);
  const sdk::ResourceSchema* schema = schemas_.find_resource(type_name);
  const std::vector<Field> body = fields(m, f, node.body);
  label_text(m, f, node.label);
  for (const ast::BodyItem& item : file(m, f).body(node.body).items) {
    if (!std::holds_alternative<ast::FieldAssign>(item.node)) reject_item(m, f, item, "a resource");
  }
  if (schema == nullptr) {
    auto& d = diags_.error(Code::E0201, type_span,
                           fmt::format("unknown resource type {}", ticked(type_name)));
    if (auto best = closest(type_name, schemas_.resource_types())) {
      d.with_label(fmt::format("did you mean {}?", ticked(*best)))
          .with_fix(fmt::format("replace with {}", ticked(*best)), type_span, *best);
    }
    for (const Field& item : body)
      infer(m, f, item.value, std::nullopt);
    return types_.error();
  }
  std::string provider = node.provider.text;
  NameUse type_use;
  type_use.kind = NameUse::Kind::Resource;
  type_use.resource = type_name;
  type_use.span = type_span;
  note_use(m, std::move(type_use));
  for (const Field& item : body) {
    if (schema->find(item.name.text) == nullptr) continue;
    NameUse use;
    use.kind = NameUse::Kind::Attribute;
    use.resource = type_name;
    use.member = item.name.text;
    use.span = item.name.span;
    note_use(m, std::move(use));
  }
  std::map<std::string, Span> seen;
  std::set<std::string> suggested;  // attributes offered as "did you mean" for unknown ones
  for (const Field& item : body) {
    const std::string& name = item.name.text;
    bool first_time = note_field(seen, item, "attribute");
    if (name == kDependsOn) {
      check_depends_on(m, f, item);
    } else if (name == kLifecycle) {
      TypeId boolean = types_.primitive(TypeKind::Bool);
      check_meta_block(m, f, item,
                       {{"prevent_destroy", boolean},
                        {"create_before_destroy", boolean},
                        {"ignore_changes", types_.list_of(types_.primitive(TypeKind::String))}});
      check_ignore_changes(m, f, item, *schema);
    } else if (name == kRollout) {
      TypeId count = types_.any();  // an int or a percent, checked below
      check_meta_block(m, f, item,
                       {{"group", types_.primitive(TypeKind::String)},
                        {"max_surge", count},
                        {"max_unavailable", count},
                        {"quorum", types_.primitive(TypeKind::Bool)}});
    } else if (name == kHooks) {
      check_hooks(m, f, item, *schema);
    } else if (const sdk::AttributeSchema* attr = schema->find(name); attr && attr->is_input()) {
      TypeId want = types_.from_schema(attr->type);
      if (attr->presence == sdk::AttributeSchema::Presence::Optional) {
        want = types_.optional_of(want);
      }
      TypeId got = infer(m, f, item.value, want);
      if (first_time && !types_.assignable(got, want)) {
        diags_
            .error(Code::E0301, file(m, f).expr(item.value).span,
                   fmt::format("expected {}, found {}", ticked(types_.to_string(want)),
                               ticked(types_.to_string(got))))
            .with_label(fmt::format("this is {}", ticked(types_.to_string(got))))
            .with_note(fmt::format("the {} provider declares {} as {}", ticked(provider),
                                   ticked(type_name + "." + name), ticked(types_.to_string(want))));
      }
    } else if (attr) {
      infer(m, f, item.value, std::nullopt);
      diags_
          .error(Code::E0302, item.name.span,
                 fmt::format("{} is an output of {} and cannot be set", ticked(name),
                             ticked(type_name)))
          .with_label("set by the provider after apply");
    } else {
      infer(m, f, item.value, std::nullopt);
      std::vector<std::string> inputs = {kDependsOn, kLifecycle, kRollout, kHooks};
      for (const auto& a : schema->attributes) {
        if (a.is_input()) inputs.push_back(a.name);
      }
      if (auto best = closest(name, inputs)) suggested.insert(*best);
      unknown_member(Code::E0302, item.name.span, name,
                     fmt::format("unknown attribute {} in {}", ticked(name), ticked(type_name)),
                     inputs);
    }
  }
  for (const auto& attr : schema->attributes) {
    // A misspelt attribute already says "did you mean"; its absence is the same mistake.
    if (attr.presence != sdk::AttributeSchema::Presence::Required || seen.count(attr.name) ||
        suggested.count(attr.name)) {
      continue;
    }
    diags_
        .error(Code::E0303, Span::cover(type_span, node.label.span),
               fmt::format("missing required attribute {} in {}", ticked(attr.name),
                           ticked(type_name)))
        .with_label(fmt::format(
            "{} needs {}", ticked(type_name),
            ticked(attr.name + ": " + types_.to_string(types_.from_schema(attr.type)))));
  }
  return types_.resource(type_name);
}

void Checker::check_depends_on(uint32_t m, uint32_t f, const Field& item) {
  TypeId got = infer(m, f, item.value, std::nullopt);
  const Type& type = types_.get(got);
  bool ok = type.kind == TypeKind::Error ||
            // Resources of several types make a list of `any`.
            (type.kind == TypeKind::List && (types_.kind(type.element) == TypeKind::Resource ||
                                             types_.kind(type.element) == TypeKind::Any ||
                                             types_.kind(type.element) == TypeKind::Never ||
                                             types_.kind(type.element) == TypeKind::Error));
  if (!ok) {
    diags_.error(Code::E0301, file(m, f).expr(item.value).span,
                 fmt::format("{} takes a list of resources, found {}", ticked(kDependsOn),
                             ticked(types_.to_string(got))));
  }
}

void Checker::check_meta_block(uint32_t m, uint32_t f, const Field& item,
                               const std::vector<std::pair<std::string, TypeId>>& known) {
  const std::string& block = item.name.text;
  const ast::Expr& value = file(m, f).expr(item.value);
  const auto* record = std::get_if<ast::RecordLit>(&value.node);
  if (record == nullptr || record->schema) {
    infer(m, f, item.value, std::nullopt);
    diags_.error(Code::E0301, value.span,
                 fmt::format("{} takes a block: {}", ticked(block),
                             ticked(block + " { " + known.front().first + " = ... }")));
    return;
  }
  std::map<std::string, Span> seen;
  for (const ast::BodyItem& entry : file(m, f).body(record->body).items) {
    if (!std::holds_alternative<ast::FieldAssign>(entry.node))
      reject_item(m, f, entry, ticked(block));
  }
  for (const Field& entry : fields(m, f, record->body)) {
    note_field(seen, entry, "field");
    auto it = std::find_if(known.begin(), known.end(),
                           [&](const auto& field) { return field.first == entry.name.text; });
    if (it == known.end()) {
      infer(m, f, entry.value, std::nullopt);
      std::vector<std::string> names;
      for (const auto& field : known)
        names.push_back(field.first);
      unknown_member(Code::E0302, entry.name.span, entry.name.text,
                     fmt::format("unknown field {} in {}", ticked(entry.name.text), ticked(block)),
                     names);
      continue;
    }
    if (types_.kind(it->second) != TypeKind::Any) {
      check_against(m, f, entry.value, it->second);
      continue;
    }
    // `max_surge = 1` or `max_surge = 25%`.
    TypeId got = infer(m, f, entry.value, std::nullopt);
    TypeKind kind = types_.kind(got);
    if (kind != TypeKind::Int && kind != TypeKind::Percent && kind != TypeKind::Error) {
      diags_
          .error(Code::E0301, file(m, f).expr(entry.value).span,
                 fmt::format("{} takes an `int` or a `percent`, found {}", ticked(entry.name.text),
                             quoted_type(got)))
          .with_label(fmt::format("this is {}", quoted_type(got)));
    }
  }
  out_.modules[m].expr_types[f][item.value.index] = types_.any();
}

// `ignore_changes = ["labels"]` names input attributes of the resource: a misspelt one would
// silently ignore nothing.
void Checker::check_ignore_changes(uint32_t m, uint32_t f, const Field& item,
                                   const sdk::ResourceSchema& schema) {
  const auto* record = std::get_if<ast::RecordLit>(&file(m, f).expr(item.value).node);
  if (record == nullptr) return;
  std::vector<std::string> inputs;
  for (const auto& attr : schema.attributes) {
    if (attr.is_input()) inputs.push_back(attr.name);
  }
  for (const Field& entry : fields(m, f, record->body)) {
    if (entry.name.text != "ignore_changes") continue;
    const auto* list = std::get_if<ast::ListLit>(&file(m, f).expr(entry.value).node);
    if (list == nullptr) continue;
    for (ExprId element : list->items) {
      const ast::Expr& name = file(m, f).expr(element);
      const auto* text = std::get_if<ast::StringLit>(&name.node);
      if (text == nullptr || std::find(inputs.begin(), inputs.end(), text->value) != inputs.end()) {
        continue;
      }
      unknown_listed(
          Code::E0302, name.span, text->value,
          fmt::format("{} has no input attribute {}", ticked(schema.type), ticked(text->value)),
          inputs, fmt::format("inputs of {}", ticked(schema.type)));
    }
  }
}

// `hooks { before_destroy = ["drain"], after_create = ["wait_ready"] }`: lists of actions that
// the resource's provider declares for its type.
void Checker::check_hooks(uint32_t m, uint32_t f, const Field& item,
                          const sdk::ResourceSchema& schema) {
  TypeId actions = types_.list_of(types_.primitive(TypeKind::String));
  std::vector<std::pair<std::string, TypeId>> known;
  for (const char* when : kHookEvents)
    known.emplace_back(when, actions);
  check_meta_block(m, f, item, known);
  const ast::Expr& value = file(m, f).expr(item.value);
  const auto* record = std::get_if<ast::RecordLit>(&value.node);
  if (record == nullptr) return;
  std::vector<std::string> declared;
  for (const auto& action : schema.actions)
    declared.push_back(action.name);
  for (const Field& entry : fields(m, f, record->body)) {
    const auto* list = std::get_if<ast::ListLit>(&file(m, f).expr(entry.value).node);
    if (list == nullptr) continue;
    for (ExprId element : list->items) {
      const ast::Expr& action = file(m, f).expr(element);
      const auto* name = std::get_if<ast::StringLit>(&action.node);
      if (name == nullptr || schema.find_action(name->value)) continue;
      unknown_member(Code::E0302, action.span, name->value,
                     fmt::format("{} has no action {}", ticked(schema.type), ticked(name->value)),
                     declared);
    }
  }
}

}  // namespace kc::sema
