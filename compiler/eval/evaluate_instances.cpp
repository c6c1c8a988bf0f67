// Schema instances (LANGUAGE.md 4): a body sets fields; unset fields take their defaults, which
// like `let`s may read other fields by bare name in any order (each slot is computed once, on
// first read; a slot that needs itself is a cycle). Then lets run — they may create resources —
// and then the checks, with `self` the finished instance.
#include <algorithm>

#include "compiler/eval/evaluator.h"

namespace kc::eval {

Evaluator::Instance Evaluator::new_instance(const sema::SchemaInfo& info, std::string path) const {
  Instance instance;
  instance.info = &info;
  instance.fields.resize(info.fields.size());
  instance.lets.resize(info.lets.size());
  instance.path = std::move(path);
  return instance;
}

template <typename Fn>
Result Evaluator::in_instance(Instance& instance, Fn&& fn) {
  std::vector<std::pair<std::string, Value>> outer_locals = std::exchange(locals_, {});
  std::string outer_path = std::exchange(path_, instance.path);
  std::string outer_owner = std::exchange(owner_, instance.path);
  instances_.push_back(&instance);
  Result result = fn();
  instances_.pop_back();
  owner_ = std::move(outer_owner);
  path_ = std::move(outer_path);
  locals_ = std::move(outer_locals);
  return result;
}

Result Evaluator::build_instance(uint32_t m, uint32_t f, ast::BodyId id, sema::TypeId schema,
                                 std::optional<std::string> key, Span at, const std::string& path) {
  const sema::SchemaInfo* info = program_.schema(schema);
  if (info == nullptr) return std::nullopt;
  Instance instance = new_instance(*info, path);
  // Entries that labelled blocks add to map fields, by field index.
  std::map<size_t, sdk::Entries> labelled;
  std::map<size_t, std::map<std::string, Span>> labels_seen;
  bool ok = true;
  auto field_index = [&](std::string_view name) -> std::optional<size_t> {
    for (size_t i = 0; i < info->fields.size(); ++i) {
      if (info->fields[i].name == name) return i;
    }
    return std::nullopt;
  };
  std::string outer_owner = std::exchange(owner_, path);
  bool walked = walk_body(m, f, id, [&](const ast::BodyItem& item) {
    if (const auto* assign = std::get_if<ast::FieldAssign>(&item.node)) {
      std::optional<ast::Name> name = ast::static_label(file(m, f), assign->key);
      std::optional<size_t> index = name ? field_index(name->text) : std::nullopt;
      if (!index) return false;  // reported by the checker
      Slot& slot = instance.fields[*index];
      if (slot.state != Slot::State::Unset) {
        report_set_twice("field", name->text, name->span, slot.set_at);
        return false;
      }
      const sema::FieldInfo& field = info->fields[*index];
      std::string outer_path = std::exchange(path_, path + "." + field.name);
      frames_.push_back(&slot.deps);
      Result value = expr(m, f, assign->value);
      frames_.pop_back();
      path_ = std::move(outer_path);
      add_deps(slot.deps);
      slot.set_at = name->span;
      if (!value || !conform_at(*value, field.type, m, f, assign->value)) {
        slot.state = Slot::State::Failed;
        return false;
      }
      slot.state = Slot::State::Set;
      slot.value = std::move(*value);
      return true;
    }
    if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
      std::optional<size_t> index = field_index(block->field.text);
      if (!index) return false;
      std::optional<std::string> label = label_value(m, f, block->label);
      if (!label) return false;
      auto [seen, fresh] = labels_seen[*index].emplace(*label, block->label.span);
      if (!fresh) {
        report_set_twice("entry", *label, block->label.span, seen->second,
                         fmt::format(" of {}", ticked(block->field.text)));
        return false;
      }
      const sema::FieldInfo& field = info->fields[*index];
      sema::TypeId map = program_.types.core(field.type);
      sema::TypeId element = program_.types.core(program_.types.get(map).element);
      std::string entry_path = fmt::format("{}.{}[{}]", path, field.name, address_key(*label));
      frames_.push_back(&instance.fields[*index].deps);
      Result entry = build_instance(m, f, block->body, element, *label,
                                    Span::cover(block->field.span, block->label.span), entry_path);
      frames_.pop_back();
      add_deps(instance.fields[*index].deps);
      if (!entry) return false;
      labelled[*index].emplace_back(*label, std::move(*entry));
      return true;
    }
    if (const auto* resource = std::get_if<ast::ResourceItem>(&item.node)) {
      return expr(m, f, resource->resource).has_value();
    }
    return true;
  });
  owner_ = std::move(outer_owner);
  ok = walked && ok;
  for (auto& [index, entries] : labelled) {
    Slot& slot = instance.fields[index];
    if (slot.state == Slot::State::Set) {
      Span block = labels_seen[index].begin()->second;
      diags_
          ->error(Code::E0305, block,
                  fmt::format("field {} is set both by `=` and by labelled blocks",
                              ticked(info->fields[index].name)))
          .with_label("a labelled block sets it")
          .with_secondary(slot.set_at, "`=` sets it here");
      ok = false;
      continue;
    }
    slot.state = Slot::State::Set;
    slot.value = Value::map(std::move(entries));
    slot.set_at = at;
  }
  if (key) {
    for (size_t i = 0; i < info->fields.size(); ++i) {
      if (!info->fields[i].key || instance.fields[i].state != Slot::State::Unset) continue;
      Value value(*key);
      if (!conform(value, info->fields[i].type, at)) {
        ok = false;
        continue;
      }
      instance.fields[i].state = Slot::State::Set;
      instance.fields[i].value = std::move(value);
      instance.fields[i].set_at = at;
    }
  }
  if (!ok) return std::nullopt;
  return finish_instance(instance, at);
}

Result Evaluator::finish_instance(Instance& instance, Span at) {
  const sema::SchemaInfo& info = *instance.info;
  sdk::Entries entries;
  bool ok = true;
  std::vector<std::string> missing;
  // The instance as a whole is not a secret: its secret fields are (InstanceRecord::deps), and
  // printing redacts them one by one. What it is built from passes on without the mark.
  struct WholeInstanceFrame {
    Evaluator& evaluator;
    Deps deps;
    explicit WholeInstanceFrame(Evaluator& e) : evaluator(e) { e.frames_.push_back(&deps); }
    ~WholeInstanceFrame() {
      evaluator.frames_.pop_back();
      deps.erase(kSecretSource);
      evaluator.add_deps(deps);
    }
  } whole(*this);
  for (size_t i = 0; i < info.fields.size(); ++i) {
    const sema::FieldInfo& field = info.fields[i];
    if (instance.fields[i].state == Slot::State::Unset && !field.default_value) {
      if (field.required) {
        missing.push_back(field.name);
        continue;
      }
      instance.fields[i].state = Slot::State::Done;  // optional: null
    }
    Result value = slot_value(instance, false, i, at);
    if (!value) {
      ok = false;
      continue;
    }
    entries.emplace_back(field.name, std::move(*value));
  }
  if (!missing.empty()) {
    std::string names;
    for (const std::string& name : missing)
      names += (names.empty() ? "" : ", ") + ticked(name);
    diags_
        ->error(Code::E0303, at,
                fmt::format("missing required field{} {} in {}", missing.size() == 1 ? "" : "s",
                            names, ticked(info.name)))
        .with_label("the generators of this body did not set it");
    ok = false;
  }
  if (!ok) return std::nullopt;
  Value result = Value::map(std::move(entries));
  std::map<std::string, Value> lets;
  for (size_t i = 0; i < info.lets.size(); ++i) {
    Result value = slot_value(instance, true, i, info.lets[i].span);
    if (!value) {
      ok = false;
      continue;
    }
    lets.emplace(info.lets[i].name, std::move(*value));
  }
  if (!ok) return std::nullopt;
  InstanceRecord& record = instance_records_[&result.as_map()];
  record.keep = result;
  record.schema = info.type;
  record.lets = std::move(lets);
  for (size_t i = 0; i < info.fields.size(); ++i) {
    record.deps[info.fields[i].name] = instance.fields[i].deps;
    const Slot& slot = instance.fields[i];
    record.origins[info.fields[i].name] = {slot_origin(instance, false, i),
                                           !slot.set_at.valid() || slot.set_by_default};
  }
  for (size_t i = 0; i < info.lets.size(); ++i)
    record.deps[info.lets[i].name] = instance.lets[i].deps;
  Result checked = in_instance(instance, [&]() -> Result {
    self_.push_back(result);
    bool passed = run_checks(info.checks, result, at, ticked(info.name), &instance);
    self_.pop_back();
    return passed ? Result(result) : std::nullopt;
  });
  return checked;
}

Result Evaluator::slot_value(Instance& instance, bool let, size_t index, Span use) {
  Slot& slot = let ? instance.lets[index] : instance.fields[index];
  const std::string& name =
      let ? instance.info->lets[index].name : instance.info->fields[index].name;
  const bool secret = !let && instance.info->fields[index].secret;
  switch (slot.state) {
    case Slot::State::Set:
    case Slot::State::Done:
      if (secret) slot.deps.insert(kSecretSource);
      add_deps(slot.deps);
      return slot.value;
    case Slot::State::Failed:
      return std::nullopt;
    case Slot::State::Running:
      report_slot_cycle(instance, name, use);
      return std::nullopt;
    case Slot::State::Unset:
      break;
  }
  slot.state = Slot::State::Running;
  instance.running.push_back(name);
  sema::ExprRef code =
      let ? instance.info->lets[index].value : *instance.info->fields[index].default_value;
  Deps deps;
  frames_.push_back(&deps);
  Result value = in_instance(instance, [&] { return expr(code.module, code.file, code.expr); });
  frames_.pop_back();
  if (value && !let) {
    const sema::FieldInfo& field = instance.info->fields[index];
    if (!conform_at(*value, field.type, code.module, code.file, code.expr)) {
      value = std::nullopt;
    }
  }
  instance.running.pop_back();
  Slot& done = let ? instance.lets[index] : instance.fields[index];
  done.state = value ? Slot::State::Done : Slot::State::Failed;
  if (value) done.value = *value;
  done.deps = std::move(deps);
  if (secret) done.deps.insert(kSecretSource);
  add_deps(done.deps);
  return value;
}

// Defaults and lets that need each other: reported once per schema and cycle, naming the chain
// and pointing at each declaration in it.
void Evaluator::report_slot_cycle(const Instance& instance, const std::string& name, Span use) {
  const sema::SchemaInfo& info = *instance.info;
  auto start = std::find(instance.running.begin(), instance.running.end(), name);
  std::string chain;
  for (auto it = start; it != instance.running.end(); ++it)
    chain += *it + " -> ";
  chain += name;
  if (!reported_slot_cycles_.insert(info.name + ": " + chain).second) return;
  auto& d =
      diags_->error(Code::E0402, use, fmt::format("cycle in {}: {}", ticked(info.name), chain))
          .with_label("this reference closes the cycle");
  for (auto it = start; it != instance.running.end(); ++it) {
    const std::string& next = it + 1 == instance.running.end() ? name : *(it + 1);
    if (const sema::FieldInfo* field = info.find_field(*it)) {
      d.with_secondary(field->span,
                       fmt::format("the default of {} reads {}", ticked(*it), ticked(next)));
    } else if (const sema::SchemaLet* let = info.find_let(*it)) {
      d.with_secondary(let->span, fmt::format("{} reads {}", ticked(*it), ticked(next)));
    }
  }
  d.with_note("set one of these fields in the instance, or compute one without the others");
}

Result Evaluator::instance_name(const std::string& name, Span use) {
  if (instances_.empty()) return std::nullopt;
  Instance& instance = *instances_.back();
  if (check_reads_ && check_reads_->instance == &instance) check_reads_->names.push_back(name);
  for (size_t i = 0; i < instance.info->fields.size(); ++i) {
    if (instance.info->fields[i].name == name) {
      if (instance.fields[i].state == Slot::State::Unset &&
          !instance.info->fields[i].default_value) {
        return Value::null();  // an optional field nobody set (a required one is reported)
      }
      return slot_value(instance, false, i, use);
    }
  }
  for (size_t i = 0; i < instance.info->lets.size(); ++i) {
    if (instance.info->lets[i].name == name) return slot_value(instance, true, i, use);
  }
  return std::nullopt;
}

BuiltAs Evaluator::built_as(const Value& value) const {
  BuiltAs built;
  if (value.kind() != sdk::Kind::Map) return built;
  if (auto it = resource_values_.find(&value.as_map()); it != resource_values_.end()) {
    built.secret = it->second.sensitive;
  } else if (const InstanceRecord* record = record_of(value)) {
    built.schema = record->schema;
    for (const auto& [name, deps] : record->deps) {
      if (deps.count(kSecretSource)) built.secret.insert(name);
    }
  }
  return built;
}

bool Evaluator::holds_secret(const Value& value) const {
  if (value.kind() == sdk::Kind::List) {
    for (const Value& item : value.as_list()) {
      if (holds_secret(item)) return true;
    }
    return false;
  }
  if (value.kind() != sdk::Kind::Map) return false;
  BuiltAs built = built_as(value);
  for (const auto& [key, item] : value.as_map()) {
    if (built.secret.count(key) && !item.is_null()) return true;
    if (holds_secret(item)) return true;
  }
  return false;
}

const Evaluator::InstanceRecord* Evaluator::record_of(const Value& value) const {
  if (value.kind() != sdk::Kind::Map) return nullptr;
  auto it = instance_records_.find(&value.as_map());
  return it == instance_records_.end() ? nullptr : &it->second;
}

Result Evaluator::with_instance(uint32_t m, uint32_t f, const ast::With& node, const Value& object,
                                sema::TypeId schema) {
  // A child instance where its parent is declared stays a child: it keeps its own fields.
  const InstanceRecord* old_record = record_of(object);
  const sema::SchemaInfo* info = program_.schema(old_record ? old_record->schema : schema);
  if (info == nullptr) return std::nullopt;
  Instance instance = new_instance(*info, path_);
  for (size_t i = 0; i < info->fields.size(); ++i) {
    const std::string& name = info->fields[i].name;
    const Value* old = object.find(name);
    instance.fields[i].state = Slot::State::Set;
    instance.fields[i].value = old ? *old : Value::null();
    if (old_record && old_record->deps.count(name)) {
      instance.fields[i].deps = old_record->deps.at(name);
      std::tie(instance.fields[i].set_at, instance.fields[i].set_by_default) =
          old_record->origins.at(name);
    }
  }
  bool ok = true;
  std::map<std::string, Span> seen;
  for (const auto& [key, value_id] : fields(m, f, node.body)) {
    auto it = std::find_if(info->fields.begin(), info->fields.end(),
                           [&](const auto& field) { return field.name == key; });
    if (it == info->fields.end()) return std::nullopt;  // reported by the checker
    if (!seen.emplace(key, file(m, f).expr(value_id).span).second) continue;
    Deps value_deps;
    frames_.push_back(&value_deps);
    Result value = expr(m, f, value_id);
    frames_.pop_back();
    add_deps(value_deps);
    if (!value || !conform_at(*value, it->type, m, f, value_id)) {
      ok = false;
      continue;
    }
    Slot& slot = instance.fields[static_cast<size_t>(it - info->fields.begin())];
    slot.value = std::move(*value);
    slot.deps = std::move(value_deps);
    slot.set_at = file(m, f).expr(value_id).span;
    slot.set_by_default = false;
  }
  if (!ok) return std::nullopt;
  return finish_instance(instance, file(m, f).expr(node.object).span);
}

Result Evaluator::instance_let(const Value& instance, sema::TypeId schema, const std::string& name,
                               Span use) {
  if (const InstanceRecord* record = record_of(instance)) {
    auto let = record->lets.find(name);
    if (let != record->lets.end()) return let->second;
  }
  // An instance that did not come from a body (a param, say): compute the let from its fields.
  const sema::SchemaInfo* info = program_.schema(schema);
  if (info == nullptr) return std::nullopt;
  Instance scratch = new_instance(*info, path_);
  for (size_t i = 0; i < info->fields.size(); ++i) {
    const Value* value = instance.find(info->fields[i].name);
    scratch.fields[i].state = Slot::State::Set;
    scratch.fields[i].value = value ? *value : Value::null();
  }
  for (size_t i = 0; i < info->lets.size(); ++i) {
    if (info->lets[i].name == name) return slot_value(scratch, true, i, use);
  }
  return std::nullopt;
}

bool Evaluator::run_checks(const std::vector<sema::SchemaCheck>& checks, const Value& self, Span at,
                           std::string_view subject, const Instance* instance) {
  bool ok = true;
  for (const sema::SchemaCheck& check : checks) {
    self_.push_back(self);
    CheckReads reads{instance, {}};
    CheckReads* outer_reads = std::exchange(check_reads_, instance ? &reads : nullptr);
    Result condition = expr(check.condition.module, check.condition.file, check.condition.expr);
    check_reads_ = outer_reads;
    Result message;
    if (condition && !condition->is_unknown() && !condition->as_bool()) {
      message = expr(check.message.module, check.message.file, check.message.expr);
    }
    self_.pop_back();
    if (!condition) {
      ok = false;
      continue;
    }
    if (condition->is_unknown() || condition->as_bool()) continue;
    std::string text =
        message && message->kind() == sdk::Kind::String ? message->as_string() : "a check failed";
    diag::Diagnostic& d = diags_->error(Code::E0401, at, fmt::format("{}: {}", subject, text))
                              .with_label("this value fails the check")
                              .with_secondary(check.span, "the check");
    if (instance) explain_check_reads(d, *instance, reads.names);
    ok = false;
  }
  return ok;
}

}  // namespace kc::eval
