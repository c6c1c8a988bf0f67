// Params (LANGUAGE.md 6): values from --var, --var-file and KC_VAR_ are checked against the
// declared type here — scalars converted, enum members checked, schema instances built from maps
// with their defaults, lets and checks — else the default is evaluated.
#include "compiler/eval/convert.h"
#include "compiler/eval/evaluator.h"
#include "compiler/sema/suggest.h"

namespace kc::eval {

// Every --var for a name the root module does not declare as a param is an error: a typo there
// would otherwise silently leave the default in place.
void Evaluator::check_param_inputs(uint32_t root) {
  const sema::CheckedModule& module = program_.modules[root];
  std::vector<std::string> params;
  for (const sema::Symbol& symbol : module.symbols) {
    if (symbol.kind == sema::SymbolKind::Param) params.push_back(symbol.name);
  }
  for (const auto& [name, input] : inputs_.params) {
    const sema::Symbol* symbol = module.find(name);
    if (symbol != nullptr && symbol->kind == sema::SymbolKind::Param) continue;
    auto& d = diags_->error(Code::E0201, Span{},
                            fmt::format("{} sets {}, which is not a param of the root module",
                                        input.origin, ticked(name)));
    if (auto best = sema::closest(name, params)) {
      d.with_note(fmt::format("did you mean {}?", ticked(*best)));
    }
  }
}

Result Evaluator::param_value(uint32_t m, const sema::Symbol& symbol, const ast::Param& param) {
  if (m == program_.program->root) {
    auto it = inputs_.params.find(symbol.name);
    if (it != inputs_.params.end()) return given_param(symbol, it->second);
  }
  if (param.default_value) {
    Result value = expr(m, symbol.file, *param.default_value);
    if (value && !conform_at(*value, symbol.type, m, symbol.file, *param.default_value)) {
      return std::nullopt;
    }
    return value;
  }
  diags_->error(Code::E0303, symbol.span, fmt::format("param {} has no value", ticked(symbol.name)))
      .with_label("no default here")
      .with_note(fmt::format("set it with --var {}=VALUE, --var-file or KC_VAR_{}", symbol.name,
                             symbol.name));
  return std::nullopt;
}

// A param set from outside: errors about the value say where it came from (provenance).
Result Evaluator::given_param(const sema::Symbol& symbol, const ParamInput& input) {
  diag::Diagnostics found;
  diag::Diagnostics* outer = std::exchange(diags_, &found);
  std::string error;
  Result value = input_value(input.value, symbol.type, symbol.span, &error);
  if (value && !conform(*value, symbol.type, symbol.span)) value = std::nullopt;
  diags_ = outer;
  for (diag::Diagnostic d : found.all()) {
    d.notes.push_back(fmt::format("the value comes from {}", input.origin));
    diags_->add(std::move(d));
  }
  if (!value && !error.empty()) {
    diags_
        ->error(
            Code::E0301, symbol.span,
            fmt::format("{} does not fit param {}: {}", input.origin, ticked(symbol.name), error))
        .with_label(fmt::format("declared as {}", ticked(program_.types.to_string(symbol.type))));
  }
  return value;
}

// An input value as `type`: nullopt with `error` set when it does not fit, or with `error` empty
// when building an instance from it failed (reported at `at`).
Result Evaluator::input_value(const Value& value, sema::TypeId type, Span at, std::string* error) {
  const sema::Type& t = program_.types.get(type);
  switch (t.kind) {
    case TypeKind::Optional:
      if (value.is_null()) return value;
      return input_value(value, t.element, at, error);
    case TypeKind::Refined:  // bounds and checks: conform() at the end
      return input_value(value, t.element, at, error);
    case TypeKind::Enum:
      return input_member(value, type, error);
    case TypeKind::Schema:
      return input_instance(value, type, at, error);
    case TypeKind::List: {
      if (value.kind() != sdk::Kind::List) break;
      sdk::List items;
      for (const Value& item : value.as_list()) {
        Result converted = input_value(item, t.element, at, error);
        if (!converted) return std::nullopt;
        items.push_back(std::move(*converted));
      }
      return Value::list(std::move(items));
    }
    case TypeKind::Map: {
      if (value.kind() != sdk::Kind::Map) break;
      sdk::Entries entries;
      for (const auto& [key, item] : value.as_map()) {
        Result converted = input_value(item, t.element, at, error);
        if (!converted) return std::nullopt;
        entries.emplace_back(key, std::move(*converted));
      }
      return Value::map(std::move(entries));
    }
    default:
      break;
  }
  return convert(value, type, program_.types, error);
}

Result Evaluator::input_member(const Value& value, sema::TypeId type, std::string* error) {
  const sema::EnumInfo* info = program_.enumeration(type);
  if (info == nullptr || value.kind() != sdk::Kind::String) {
    *error = fmt::format("expected `{}`, found {}", program_.types.to_string(type),
                         sdk::kind_name(value.kind()));
    return std::nullopt;
  }
  if (info->has(value.as_string())) return value;
  std::string members;
  for (const std::string& member : info->members)
    members += (members.empty() ? "" : ", ") + member;
  *error = fmt::format("{} is not a member of {} ({})", ticked(value.as_string()),
                       ticked(info->name), members);
  if (auto best = sema::closest(value.as_string(), info->members)) {
    *error += fmt::format("; did you mean {}?", ticked(*best));
  }
  return std::nullopt;
}

// A map given for a schema: its entries set fields (converted to their types); unset fields take
// their defaults; lets and checks run as for an instance written in the source.
Result Evaluator::input_instance(const Value& value, sema::TypeId type, Span at,
                                 std::string* error) {
  const sema::SchemaInfo* info = program_.schema(type);
  if (info == nullptr || value.kind() != sdk::Kind::Map) {
    *error = fmt::format("expected `{}` (a map of its fields), found {}",
                         program_.types.to_string(type), sdk::kind_name(value.kind()));
    return std::nullopt;
  }
  Instance instance = new_instance(*info, path_);
  std::vector<std::string> names;
  for (const sema::FieldInfo& field : info->fields)
    names.push_back(field.name);
  for (const auto& [key, item] : value.as_map()) {
    auto it = std::find(names.begin(), names.end(), key);
    if (it == names.end()) {
      *error = fmt::format("{} has no field {}", ticked(info->name), ticked(key));
      if (auto best = sema::closest(key, names))
        *error += fmt::format("; did you mean {}?", ticked(*best));
      return std::nullopt;
    }
    size_t index = static_cast<size_t>(it - names.begin());
    Result converted = input_value(item, info->fields[index].type, at, error);
    if (!converted) {
      if (!error->empty()) *error = fmt::format("field {}: {}", ticked(key), *error);
      return std::nullopt;
    }
    if (!conform(*converted, info->fields[index].type, at)) return std::nullopt;
    instance.fields[index].state = Slot::State::Set;
    instance.fields[index].value = std::move(*converted);
    instance.fields[index].set_at = at;
  }
  return finish_instance(instance, at);
}

}  // namespace kc::eval
