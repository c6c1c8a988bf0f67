// sim.machine checks and change planning.
#include "providers/sim/machine_rules.h"

#include <utility>

#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

diag::Diagnostic& error(diag::Diagnostics& diagnostics, const std::string& address,
                        std::string message) {
  return diagnostics.error(diag::Code::E0504, source::Span{},
                           "`" + address + "`: " + std::move(message));
}

const sdk::Value& value_or_null(const sdk::Value& map, std::string_view name) {
  static const sdk::Value null;
  const sdk::Value* value = map.find(name);
  return value == nullptr ? null : *value;
}

void check_range(const std::string& address, const sdk::AttributeSchema& attribute,
                 const sdk::Value& value, diag::Diagnostics& diagnostics) {
  if (attribute.name == "cpu") {
    int64_t cpu = value.as_int();
    if (cpu < kMinCpu || cpu > kMaxCpu) {
      error(diagnostics, address,
            "attribute `cpu` must be between " + std::to_string(kMinCpu) + " and " +
                std::to_string(kMaxCpu) + ", got " + std::to_string(cpu));
    }
  } else if (attribute.name == "memory") {
    sdk::ByteSize memory = value.as_bytes();
    if (memory.bytes < kMinMemoryBytes) {
      error(diagnostics, address,
            "attribute `memory` must be at least " +
                sdk::to_string(sdk::ByteSize{kMinMemoryBytes}) + ", got " + sdk::to_string(memory));
    }
  } else if (attribute.name == "zone") {
    if (value.as_string().empty()) {
      error(diagnostics, address, "attribute `zone` must not be empty");
    }
  }
}

}  // namespace

sdk::Value machine_inputs(const sdk::Value& attributes) {
  sdk::Entries entries;
  for (const sdk::AttributeSchema& attribute : machine_schema().attributes) {
    if (!attribute.is_input()) continue;
    const sdk::Value& value = value_or_null(attributes, attribute.name);
    if (!value.is_null()) entries.emplace_back(attribute.name, value);
  }
  return sdk::Value::map(std::move(entries));
}

void validate_machine(const std::string& address, const sdk::Value& attributes,
                      diag::Diagnostics& diagnostics) {
  if (attributes.is_unknown()) return;
  if (attributes.kind() != sdk::Kind::Map) {
    error(diagnostics, address,
          "attributes must be a map, got " + std::string(sdk::kind_name(attributes.kind())));
    return;
  }
  const sdk::ResourceSchema& schema = machine_schema();
  for (const auto& [name, value] : attributes.as_map()) {
    const sdk::AttributeSchema* attribute = schema.find(name);
    if (attribute == nullptr) {
      error(diagnostics, address, "`" + schema.type + "` has no attribute `" + name + "`");
    } else if (!attribute->is_input()) {
      error(diagnostics, address,
            "attribute `" + name + "` is set by the provider and cannot be written");
    }
  }
  for (const sdk::AttributeSchema& attribute : schema.attributes) {
    if (!attribute.is_input()) continue;
    const sdk::Value& value = value_or_null(attributes, attribute.name);
    if (value.is_null()) {
      if (attribute.presence == sdk::AttributeSchema::Presence::Required) {
        error(diagnostics, address, "missing required attribute `" + attribute.name + "`");
      }
      continue;
    }
    if (value.contains_unknown()) continue;
    if (!attribute.type.admits(value)) {
      error(diagnostics, address,
            "attribute `" + attribute.name + "` must be " + attribute.type.to_string() + ", got " +
                std::string(sdk::kind_name(value.kind())));
      continue;
    }
    check_range(address, attribute, value, diagnostics);
  }
}

sdk::PlanResponse plan_machine(const sdk::PlanRequest& request) {
  sdk::PlanResponse response;
  if (request.desired.is_null()) return response;  // delete, or nothing to do
  if (request.desired.kind() != sdk::Kind::Map) {
    error(response.diagnostics, request.address, "desired attributes must be a map");
    return response;
  }
  if (!request.prior.is_null() && request.prior.kind() != sdk::Kind::Map) {
    error(response.diagnostics, request.address, "prior attributes must be a map");
    return response;
  }
  sdk::Value inputs = machine_inputs(request.desired);
  bool fresh_outputs = request.prior.is_null();
  if (!request.prior.is_null()) {
    for (const sdk::AttributeSchema& attribute : machine_schema().attributes) {
      if (!attribute.is_input() || !attribute.force_new) continue;
      const sdk::Value& before = value_or_null(request.prior, attribute.name);
      const sdk::Value& after = value_or_null(inputs, attribute.name);
      if (after.contains_unknown() || !(before == after)) {
        response.requires_replace.push_back(attribute.name);
      }
    }
    fresh_outputs = !response.requires_replace.empty();
  }
  sdk::Entries planned = inputs.as_map();
  for (const sdk::AttributeSchema& attribute : machine_schema().attributes) {
    if (attribute.is_input()) continue;
    const sdk::Value& prior = value_or_null(request.prior, attribute.name);
    planned.emplace_back(attribute.name,
                         fresh_outputs || prior.is_null() ? sdk::Value::unknown() : prior);
  }
  response.planned = sdk::Value::map(std::move(planned));
  return response;
}

sdk::Value applicable_inputs(const std::string& address, std::string_view action,
                             const sdk::Value& planned, diag::Diagnostics& diagnostics) {
  if (planned.kind() != sdk::Kind::Map) {
    error(diagnostics, address, "planned attributes must be a map");
    return sdk::Value();
  }
  sdk::Value inputs = machine_inputs(planned);
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
  validate_machine(address, inputs, diagnostics);
  return inputs;
}

}  // namespace kc::sim
