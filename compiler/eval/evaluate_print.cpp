// The printed form of evaluation results (LANGUAGE.md 8a): `kc eval` and `kc check
// --dump=desired`. Null fields are left out; secrets print as "(sensitive)".
#include <set>

#include "compiler/eval/evaluate.h"
#include "compiler/eval/evaluator.h"
#include "providers/sdk/json.h"

namespace kc::eval {

namespace {

// sema::TypeId{} is the Error type: it says nothing, so what the evaluator knows decides.
// A list or map whose type says nothing of schemas (`any`, a record): instances and resources
// inside it are still redacted as what they were built as.
Value redact_untyped(const sema::CheckedProgram& program, const Value& value,
                     const BuiltAsFn& built_as) {
  if (!built_as) return value;
  if (value.kind() == sdk::Kind::List) {
    sdk::List items;
    for (const Value& item : value.as_list())
      items.push_back(redact(program, item, sema::TypeId{}, built_as));
    return Value::list(std::move(items));
  }
  if (value.kind() == sdk::Kind::Map) {
    sdk::Entries entries;
    for (const auto& [key, item] : value.as_map())
      entries.emplace_back(key, redact(program, item, sema::TypeId{}, built_as));
    return Value::map(std::move(entries));
  }
  return value;
}

}  // namespace

Value redact(const sema::CheckedProgram& program, const Value& value, sema::TypeId type,
             const BuiltAsFn& built_as) {
  if (value.is_null() || value.is_unknown()) return value;
  BuiltAs built;
  if (built_as) {
    built = built_as(value);
    // An instance is redacted as what it was built as, wherever it stands.
    if (built.schema) type = *built.schema;
  }
  const sema::Type& t = program.types.get(type);
  const sema::SchemaInfo* info = t.kind == TypeKind::Schema ? program.schema(type) : nullptr;
  if (value.kind() == sdk::Kind::Map && (info || !built.secret.empty())) {
    sdk::Entries entries;
    for (const auto& [key, item] : value.as_map()) {
      const sema::FieldInfo* field = info ? info->find_field(key) : nullptr;
      bool secret = built.secret.count(key) || (field && field->secret);
      if (secret && !item.is_null() && !item.is_unknown()) {
        entries.emplace_back(key, Value(kSensitive));
      } else {
        entries.emplace_back(key, field ? redact(program, item, field->type, built_as)
                                        : redact(program, item, sema::TypeId{}, built_as));
      }
    }
    return Value::map(std::move(entries));
  }
  switch (t.kind) {
    case TypeKind::Refined:
    case TypeKind::Optional:
      return redact(program, value, t.element, built_as);
    case TypeKind::List: {
      if (value.kind() != sdk::Kind::List) return value;
      sdk::List items;
      for (const Value& item : value.as_list())
        items.push_back(redact(program, item, t.element, built_as));
      return Value::list(std::move(items));
    }
    case TypeKind::Map: {
      if (value.kind() != sdk::Kind::Map) return value;
      sdk::Entries entries;
      for (const auto& [key, item] : value.as_map())
        entries.emplace_back(key, redact(program, item, t.element, built_as));
      return Value::map(std::move(entries));
    }
    default:
      return redact_untyped(program, value, built_as);
  }
}

namespace {

// Null fields are left out of printed records (LANGUAGE.md 8a).
nlohmann::ordered_json printable(const Value& value,
                                 const std::set<std::string>* sensitive = nullptr) {
  if (value.kind() == sdk::Kind::Map) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (const auto& [key, field] : value.as_map()) {
      if (field.is_null()) continue;
      object[key] = sensitive && sensitive->count(key) ? nlohmann::ordered_json(kSensitive)
                                                       : printable(field);
    }
    return object;
  }
  if (value.kind() == sdk::Kind::List) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const auto& item : value.as_list())
      array.push_back(printable(item));
    return array;
  }
  return sdk::to_json(value);
}

}  // namespace

const DesiredResource* DesiredState::find(std::string_view address) const {
  auto it =
      std::lower_bound(resources.begin(), resources.end(), address,
                       [](const DesiredResource& r, std::string_view a) { return r.address < a; });
  return it != resources.end() && it->address == address ? &*it : nullptr;
}

nlohmann::ordered_json exports_json(const DesiredState& desired) {
  return printable(desired.exports);
}

std::string dump_desired(const DesiredState& desired) {
  nlohmann::ordered_json out;
  nlohmann::ordered_json resources = nlohmann::ordered_json::array();
  for (const auto& r : desired.resources) {
    nlohmann::ordered_json entry;
    entry["address"] = r.address;
    entry["type"] = r.type;
    entry["attributes"] = printable(r.attributes, &r.sensitive);
    entry["depends_on"] = r.depends_on;
    if (r.lifecycle.prevent_destroy || r.lifecycle.create_before_destroy ||
        !r.lifecycle.ignore_changes.empty()) {
      entry["lifecycle"] = {{"prevent_destroy", r.lifecycle.prevent_destroy},
                            {"create_before_destroy", r.lifecycle.create_before_destroy},
                            {"ignore_changes", r.lifecycle.ignore_changes}};
    }
    if (!r.rollout.group.empty()) {
      nlohmann::ordered_json rollout = {{"group", r.rollout.group}};
      auto bound = [](const std::optional<RolloutBound>& b) -> nlohmann::ordered_json {
        if (!b) return nullptr;
        if (b->percent) return sdk::to_string(sdk::Percent{b->amount});
        return static_cast<int64_t>(b->amount);
      };
      if (r.rollout.max_surge) rollout["max_surge"] = bound(r.rollout.max_surge);
      if (r.rollout.max_unavailable) rollout["max_unavailable"] = bound(r.rollout.max_unavailable);
      if (r.rollout.quorum) rollout["quorum"] = true;
      entry["rollout"] = std::move(rollout);
    }
    if (!r.hooks.empty()) entry["hooks"] = r.hooks;
    resources.push_back(std::move(entry));
  }
  out["resources"] = std::move(resources);
  nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
  for (const auto& o : desired.outputs)
    outputs[o.name] = o.sensitive ? nlohmann::ordered_json(kSensitive) : printable(o.value);
  out["outputs"] = std::move(outputs);
  return out.dump(2) + "\n";
}

}  // namespace kc::eval
