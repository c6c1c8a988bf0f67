// Schema-driven checks and change planning shared by every sim kind.
#include "providers/sim/resource_rules.h"

#include <algorithm>
#include <utility>

namespace kc::sim {
namespace {

// Reports a missing required value, or a known value of the wrong type; true when `value` is set,
// known and well typed.
bool check_typed(const std::string& address, const sdk::AttributeSchema& attribute,
                 const sdk::Value& value, std::string_view what, diag::Diagnostics& diagnostics) {
  if (value.is_null()) {
    if (attribute.presence == sdk::AttributeSchema::Presence::Required) {
      address_error(diagnostics, address,
                    "missing required " + std::string(what) + " `" + attribute.name + "`");
    }
    return false;
  }
  if (value.contains_unknown()) return false;
  if (!attribute.type.admits(value)) {
    address_error(diagnostics, address,
                  std::string(what) + " `" + attribute.name + "` must be " +
                      attribute.type.to_string() + ", got " +
                      std::string(sdk::kind_name(value.kind())));
    return false;
  }
  return true;
}

}  // namespace

sdk::Value inputs_of(const sdk::ResourceSchema& schema, const sdk::Value& attributes) {
  sdk::Entries entries;
  for (const sdk::AttributeSchema& attribute : schema.attributes) {
    if (!attribute.is_input()) continue;
    const sdk::Value& value = attribute_or_null(attributes, attribute.name);
    if (!value.is_null()) entries.emplace_back(attribute.name, value);
  }
  return sdk::Value::map(std::move(entries));
}

sdk::Value assemble(const sdk::ResourceSchema& schema, const sdk::Value& inputs,
                    const sdk::Entries& outputs) {
  sdk::Entries entries;
  for (const sdk::AttributeSchema& attribute : schema.attributes) {
    if (attribute.is_input()) {
      const sdk::Value& value = attribute_or_null(inputs, attribute.name);
      if (!value.is_null()) entries.emplace_back(attribute.name, value);
      continue;
    }
    auto it = std::find_if(outputs.begin(), outputs.end(),
                           [&](const auto& entry) { return entry.first == attribute.name; });
    if (it != outputs.end() && !it->second.is_null()) entries.emplace_back(*it);
  }
  return sdk::Value::map(std::move(entries));
}

void validate_resource(const SimKind& kind, const std::string& address,
                       const sdk::Value& attributes, diag::Diagnostics& diagnostics) {
  if (attributes.is_unknown()) return;
  if (attributes.kind() != sdk::Kind::Map) {
    address_error(
        diagnostics, address,
        "attributes must be a map, got " + std::string(sdk::kind_name(attributes.kind())));
    return;
  }
  const sdk::ResourceSchema& schema = kind.schema();
  for (const auto& [name, value] : attributes.as_map()) {
    const sdk::AttributeSchema* attribute = schema.find(name);
    if (attribute == nullptr) {
      address_error(diagnostics, address, "`" + schema.type + "` has no attribute `" + name + "`");
    } else if (!attribute->is_input()) {
      address_error(diagnostics, address,
                    "attribute `" + name + "` is set by the provider and cannot be written");
    }
  }
  sdk::Entries known;
  for (const sdk::AttributeSchema& attribute : schema.attributes) {
    if (!attribute.is_input()) continue;
    const sdk::Value& value = attribute_or_null(attributes, attribute.name);
    if (check_typed(address, attribute, value, "attribute", diagnostics)) {
      known.emplace_back(attribute.name, value);
    }
  }
  kind.check_inputs(address, sdk::Value::map(std::move(known)), diagnostics);
}

sdk::PlanResponse plan_resource(const SimKind& kind, const sdk::PlanRequest& request) {
  sdk::PlanResponse response;
  if (request.desired.is_null()) return response;  // delete, or nothing to do
  if (request.desired.kind() != sdk::Kind::Map) {
    address_error(response.diagnostics, request.address, "desired attributes must be a map");
    return response;
  }
  if (!request.prior.is_null() && request.prior.kind() != sdk::Kind::Map) {
    address_error(response.diagnostics, request.address, "prior attributes must be a map");
    return response;
  }
  const sdk::ResourceSchema& schema = kind.schema();
  sdk::Value inputs = inputs_of(schema, request.desired);
  // An input counts as changed when it differs from the prior or is not known yet.
  auto changed = [&](std::string_view name) {
    const sdk::Value& before = attribute_or_null(request.prior, name);
    const sdk::Value& after = attribute_or_null(inputs, name);
    return after.contains_unknown() || !(before == after);
  };
  bool fresh_outputs = request.prior.is_null();
  if (!request.prior.is_null()) {
    for (const sdk::AttributeSchema& attribute : schema.attributes) {
      if (attribute.is_input() && attribute.force_new && changed(attribute.name)) {
        response.requires_replace.push_back(attribute.name);
      }
    }
    fresh_outputs = !response.requires_replace.empty();
  }
  sdk::Entries planned = inputs.as_map();
  for (const sdk::AttributeSchema& attribute : schema.attributes) {
    if (attribute.is_input()) continue;
    const sdk::Value& prior = attribute_or_null(request.prior, attribute.name);
    bool recomputed = fresh_outputs || prior.is_null();
    for (const DerivedOutput& derived : kind.derived()) {
      if (derived.output != attribute.name) continue;
      recomputed = recomputed || std::any_of(derived.inputs.begin(), derived.inputs.end(), changed);
    }
    planned.emplace_back(attribute.name, recomputed ? sdk::Value::unknown() : prior);
  }
  response.planned = sdk::Value::map(std::move(planned));
  return response;
}

sdk::Value applicable_inputs(const SimKind& kind, const std::string& address,
                             std::string_view action, const sdk::Value& planned,
                             diag::Diagnostics& diagnostics) {
  if (planned.kind() != sdk::Kind::Map) {
    address_error(diagnostics, address, "planned attributes must be a map");
    return sdk::Value();
  }
  sdk::Value inputs = inputs_of(kind.schema(), planned);
  bool known = true;
  for (const auto& [name, value] : inputs.as_map()) {
    if (value.contains_unknown()) {
      diagnostics.error(diag::Code::E0504, source::Span{},
                        "cannot apply " + std::string(action) + " of `" + address +
                            "` with unknown input `" + name + "`");
      known = false;
    }
  }
  if (!known) return sdk::Value();
  validate_resource(kind, address, inputs, diagnostics);
  return inputs;
}

void check_params(const sdk::ActionSchema& action, const std::string& address,
                  const sdk::Value& params, diag::Diagnostics& diagnostics) {
  if (!params.is_null() && params.kind() != sdk::Kind::Map) {
    address_error(diagnostics, address,
                  "the params of action `" + action.name + "` must be a map, got " +
                      std::string(sdk::kind_name(params.kind())));
    return;
  }
  if (!params.is_null()) {
    for (const auto& [name, value] : params.as_map()) {
      if (action.find_param(name) != nullptr) continue;
      std::string known;
      for (const sdk::AttributeSchema& param : action.params)
        known += (known.empty() ? "`" : ", `") + param.name + "`";
      address_error(diagnostics, address,
                    "action `" + action.name + "` has no param `" + name + "`")
          .with_note(known.empty() ? "it takes no params" : "its params are " + known);
    }
  }
  for (const sdk::AttributeSchema& param : action.params) {
    const sdk::Value& value = attribute_or_null(params, param.name);
    if (value.contains_unknown()) {
      address_error(diagnostics, address,
                    "param `" + param.name + "` of action `" + action.name +
                        "` is not known when the action runs");
      continue;
    }
    if (!check_typed(address, param, value, "param", diagnostics)) continue;
    if (value.kind() == sdk::Kind::Duration && value.as_duration().ms < 0) {
      address_error(diagnostics, address,
                    "param `" + param.name + "` of action `" + action.name +
                        "` must be 0s or more, got " + sdk::to_string(value.as_duration()));
    }
  }
}

}  // namespace kc::sim
